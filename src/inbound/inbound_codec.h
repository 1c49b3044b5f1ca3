// InboundCodec: one client API format (the inbound format) around the canonical model — requests
// in, responses, streams and errors out. N inbound codecs and M provider adapters meet only in
// canonical/chat.h (STYLE.md 2.3). Same-format calls never use these: they take the pass-through
// path.
//
// Codecs are stateless and shared by every worker; stream encoders are per call and not
// thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "canonical/chat.h"
#include "core/error.h"
#include "core/result.h"
#include "wire/format.h"

namespace switchyard::inbound {

// What a stream encoder needs that the stream itself may not say.
struct StreamEncoderOptions {
  std::string model;        // shown when the provider's start event names none
  std::string id;           // shown when the provider's start event gives no id
  std::int64_t created = 0;  // unix seconds (OpenAI chunks carry it); injected, never read here
  bool include_usage = false;  // OpenAI: the client asked for stream_options.include_usage
  // Anthropic: input tokens for message_start when the provider has not reported them yet
  // (an OpenAI upstream reports usage only at the end; 0 there breaks some clients).
  std::int64_t input_tokens_estimate = 0;
};

// Canonical stream events → the client's SSE bytes, appended to a string, event by event: nothing
// is held back except what the client format needs in another order (an Anthropic client's
// message_delta waits for the usage an OpenAI upstream sends after its finish chunk).
class StreamEncoder {
 public:
  virtual ~StreamEncoder() = default;

  // Appends the bytes for one event to `out` (often none). A kError event writes the client
  // format's error event; everything after it is ignored.
  virtual void Encode(const canonical::StreamEvent& event, std::string& out) = 0;

  // Ends the stream normally: appends whatever the client still needs (a finish it never got, the
  // usage, the closing events), then `trailer` (raw SSE bytes, e.g. the gateway's cost comment
  // line; may be empty), then the terminator (OpenAI "data: [DONE]", Anthropic message_stop).
  // Does nothing after an error or a previous Finish.
  virtual void Finish(std::string& out, std::string_view trailer) = 0;

  // True once the stream ended with an error event (from the provider or from Fail).
  virtual bool failed() const = 0;

  // Ends the stream with the client format's error event for `error` (a failure after the commit
  // point). Does nothing after an error or Finish.
  virtual void Fail(const Error& error, std::string& out) = 0;
};

class InboundCodec {
 public:
  virtual ~InboundCodec() = default;

  // The API's name, as the ledger records it: "openai" | "anthropic".
  virtual std::string_view name() const = 0;

  // The client's request body in canonical form, with the format's unknown fields in `extra`.
  // Failure: a 400-class Error naming the offending field.
  virtual Result<canonical::ChatRequest> DecodeRequest(std::string_view body) const = 0;

  // A complete response body in the client's format. `response.created` 0 is shown as 0: the
  // caller sets it.
  virtual std::string EncodeResponse(const canonical::ChatResponse& response) const = 0;

  virtual std::unique_ptr<StreamEncoder> NewStreamEncoder(
      const StreamEncoderOptions& options) const = 0;

  // The error body the client's SDK reads, for error.http_status (see ClientStatus).
  virtual std::string FormatError(const Error& error) const = 0;

  // The event that ends a stream which failed after it started.
  virtual std::string FormatStreamError(const Error& error) const = 0;

  // The HTTP status to show this client for a status (OpenAI has no 529: 503).
  virtual int ClientStatus(int status) const = 0;
};

// The codec for a client format (kOpenAI: Chat Completions, kAnthropic: Messages); nullptr for a
// format no client endpoint speaks (kGemini). The codecs are static and live for the whole process.
const InboundCodec* CodecFor(wire::Format format);

}  // namespace switchyard::inbound
