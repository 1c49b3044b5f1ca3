// UpstreamEndpoint: where a provider lives, parsed once from its base URL at startup.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace switchyard::http {

struct UpstreamEndpoint {
  bool tls = false;
  std::string host;       // name or address, as in the URL (also the TLS SNI name)
  std::uint16_t port = 0;
  std::string base_path;  // e.g. "/v1", never ending in '/'; empty for the root
  std::string pool_key;   // "https://host:port": connections are pooled per key

  // The request target for a path under the base, e.g. Target("/chat/completions").
  std::string Target(std::string_view path) const { return base_path + std::string(path); }
  // The value of the Host header.
  std::string HostHeader() const;
};

// Parses "http(s)://host[:port][/path]". Errors name the URL's problem, never its query string (which
// could hold a key).
Result<UpstreamEndpoint> ParseUpstreamEndpoint(std::string_view url);

}  // namespace switchyard::http
