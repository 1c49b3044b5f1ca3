// HostProfile: everything the gateway knows about one provider host without code — its wire format,
// default base URL, how it takes a key, and its known deviations from its wire format (its "quirk
// row"). Adding an OpenAI-compatible host is one row in known_hosts.cc; adapters read these flags and
// never compare host names. The table is data that both config/ (defaults and checks at load) and
// providers/ (the quirks) read, so it sits below both: it includes neither, only the format enum
// (wire/format.h).
#pragma once

#include <span>
#include <string_view>

#include "wire/format.h"

namespace switchyard::hosts {

enum class AuthStyle {
  kBearer,      // Authorization: Bearer <key>
  kXApiKey,     // x-api-key: <key>
  kGoogApiKey,  // x-goog-api-key: <key>
};

// How a host reports token usage on streams.
enum class StreamUsage {
  kOnRequest,  // only with stream_options.include_usage (OpenAI's own behaviour)
  kAlways,     // always in the last chunk; stream_options must not be sent
};

// A request field the host names differently.
struct ParamRename {
  std::string_view from;
  std::string_view to;
};

struct HostProfile {
  std::string_view name;              // the provider name users write in the config
  wire::Format wire_format = wire::Format::kOpenAI;
  std::string_view default_base_url;  // without a trailing slash
  AuthStyle auth = AuthStyle::kBearer;
  bool key_required = true;           // false for local servers that ignore keys
  StreamUsage stream_usage = StreamUsage::kOnRequest;
  std::span<const ParamRename> renames = {};  // applied on the raw request body (parse-and-rewrite)
};

// The profile of a known provider name (openai, groq, ...), or nullptr for a custom name.
const HostProfile* FindKnownHost(std::string_view name);

// Every known provider, in registration order.
std::span<const HostProfile> KnownHosts();

}  // namespace switchyard::hosts
