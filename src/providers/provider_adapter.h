// ProviderAdapter: everything the gateway does in one wire format, behind one interface. One
// stateless, shared instance per wire format (registry.cc); stream taps are per attempt.
//
// Two paths share it. The same-format pass-through path (the client speaks the provider's format):
// the adapter builds the upstream request from the client's bytes, reads usage from responses and
// streams, and reads errors. The translated path (the formats differ): the adapter encodes a
// canonical request (canonical/chat.h) into its wire format and decodes answers and streams back
// into the canonical model; the client's inbound codec (inbound/inbound_codec.h) does the rest.
//
// Adapters are stateless and shared by every worker; taps and stream decoders are per attempt and
// not thread-safe.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "canonical/chat.h"
#include "canonical/usage.h"
#include "config/config.h"
#include "core/result.h"
#include "http/client/upstream_endpoint.h"
#include "http/client/upstream_request.h"
#include "http/header_lookup.h"
#include "json/object_scan.h"
#include "providers/provider_error.h"
#include "wire/format.h"

namespace switchyard::providers {

// The endpoint a call is for. kCountTokens is Anthropic's /v1/messages/count_tokens: forwarded to
// Anthropic-format targets, estimated by the gateway for others.
enum class Operation { kChatCompletions, kEmbeddings, kCountTokens };

// One target's side of a call, resolved by routing.
struct UpstreamTarget {
  const config::ProviderConfig* provider = nullptr;
  std::string model;  // the model name the provider knows (no "provider/" prefix)
  std::string_view api_key;  // the configured key, or a per-call override; may be empty
  const http::UpstreamEndpoint* endpoint = nullptr;  // parsed from the provider's base_url
  std::string_view params_json;  // a route target's parameters (JSON object), merged into the body
};

// The client's request as the pass-through path sees it: its raw bytes and their top-level scan.
struct PassthroughRequest {
  Operation operation = Operation::kChatCompletions;
  std::string_view body;
  const json::ObjectScan* scan = nullptr;
  bool stream = false;
  bool client_wants_stream_usage = false;  // stream_options.include_usage was true
  // The client's request headers (lower-case names) that a format may pass on, e.g. Anthropic's
  // anthropic-version and anthropic-beta; the adapter forwards only the ones it knows.
  std::span<const std::pair<std::string, std::string>> client_headers = {};
};

// Reads one streamed response as it passes by: usage, errors sent inside the stream, and which
// events the client must not see (the usage chunk the gateway asked for on its behalf).
class StreamTap {
 public:
  virtual ~StreamTap() = default;
  enum class Verdict { kForward, kHide };
  // Called for every SSE event's data; returns whether the client gets this event.
  virtual Verdict OnData(std::string_view data) = 0;
  virtual const canonical::Usage& usage() const = 0;
  // True once an event carried actual content (for time to first token).
  virtual bool saw_content() const = 0;
  // Set when the provider reported an error inside the stream.
  virtual const std::string& stream_error() const = 0;
  // True once the provider's end-of-stream marker arrived.
  virtual bool saw_end() const = 0;
  // True once the provider said why the answer finished (a finish or stop reason): a stream that
  // closes after that without its marker is still a whole answer; one that closes before is not.
  virtual bool saw_finish() const = 0;
  // For a stream that ended without usage (cut short, or abandoned by the client): a rough estimate
  // from the bytes seen, at about four bytes per token — the request's for input, the streamed
  // text's for output. Marked estimated by the caller.
  virtual canonical::Usage EstimatedUsage(std::size_t request_bytes) const = 0;
};

// Turns one provider stream's SSE events into canonical stream events (canonical/chat.h gives their
// order), as they arrive: nothing is held back except what the format itself splits. One decoder
// per streamed attempt; not thread-safe.
class StreamDecoder {
 public:
  virtual ~StreamDecoder() = default;
  // One SSE event: its `event:` name (empty when absent) and its data (padding allowed). Appends the
  // canonical events it stands for to `out` (often none: pings, block stops). Never fails: an event
  // that cannot be read is skipped, an error the provider sent becomes a kError event.
  virtual void Decode(std::string_view event_name, std::string_view data,
                      std::vector<canonical::StreamEvent>& out) = 0;
  // The complete usage reported so far (`reported` false until the provider sent any).
  virtual const canonical::Usage& usage() const = 0;
  // True once the provider's end-of-stream marker arrived.
  virtual bool saw_end() const = 0;
};

// A translated request, ready to send: the upstream request and the fields left out because the
// target cannot take them and they cannot change the answer (for x-switchyard-dropped-params).
struct EncodedRequest {
  http::UpstreamRequest upstream;
  std::vector<std::string> dropped_params;
};

class ProviderAdapter {
 public:
  virtual ~ProviderAdapter() = default;
  virtual wire::Format wire_format() const = 0;

  // The upstream request for a same-format call: the client's bytes with only the gateway-owned
  // fields rewritten (model; stream_options so every stream reports usage; the host's renames).
  virtual Result<http::UpstreamRequest> BuildPassthroughRequest(const PassthroughRequest& request,
                                                                const UpstreamTarget& target) const = 0;

  // Usage from a complete (non-streamed) response body; `reported` false when it has none.
  virtual canonical::Usage ParseResponseUsage(Operation operation, std::string_view body) const = 0;

  // A tap for one streamed attempt. `hide_usage_chunk`: the client did not ask for usage.
  virtual std::unique_ptr<StreamTap> NewStreamTap(bool hide_usage_chunk) const = 0;

  // Reads an error response (any of the shapes the format's hosts use) and classifies it.
  virtual ProviderError ParseError(int status, std::string_view body) const = 0;

  // The wait until the rate limit a 429 exhausted resets, from the format's rate-limit headers
  // (read when the provider sent no `retry-after`); nullopt when it sent none that can be read.
  virtual std::optional<std::chrono::milliseconds> RateLimitReset(
      const http::HeaderLookup& header, std::chrono::system_clock::time_point now) const = 0;

  // --- The translated path ---

  // The upstream request for a canonical chat request (target.model replaces request.model; a
  // route target's params_json members are merged into the body last, in wire-format terms).
  // Failure: a 400-class Error naming the field the target cannot honour when leaving it out would
  // change the answer; harmless ones are left out and listed in dropped_params.
  virtual Result<EncodedRequest> EncodeRequest(const canonical::ChatRequest& request,
                                               const UpstreamTarget& target) const = 0;

  // A complete (non-streamed) success body in canonical form. Failure: UpstreamProtocol when the
  // body is not a response of this format.
  virtual Result<canonical::ChatResponse> DecodeResponse(std::string_view body) const = 0;

  // A decoder for one streamed attempt.
  virtual std::unique_ptr<StreamDecoder> NewStreamDecoder() const = 0;
};

// The adapter for a wire format, or nullptr when this version has none for it.
const ProviderAdapter* AdapterFor(wire::Format format);

}  // namespace switchyard::providers
