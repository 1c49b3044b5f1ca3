#include "http/client/upstream_endpoint.h"

#include <boost/url/parse.hpp>
#include <fmt/format.h>

namespace switchyard::http {

std::string UpstreamEndpoint::HostHeader() const {
  const bool default_port = (tls && port == 443) || (!tls && port == 80);
  const bool ipv6 = host.find(':') != std::string::npos;
  std::string name = ipv6 ? "[" + host + "]" : host;
  return default_port ? name : fmt::format("{}:{}", name, port);
}

Result<UpstreamEndpoint> ParseUpstreamEndpoint(std::string_view url) {
  auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed) return Error::Config("base_url is not an absolute URL");
  UpstreamEndpoint endpoint;
  const std::string scheme(parsed->scheme());
  if (scheme == "https") {
    endpoint.tls = true;
  } else if (scheme != "http") {
    return Error::Config("base_url must start with http:// or https://");
  }
  endpoint.host = std::string(parsed->encoded_host_address());
  if (endpoint.host.size() > 2 && endpoint.host.front() == '[') {
    endpoint.host = endpoint.host.substr(1, endpoint.host.size() - 2);
  }
  if (endpoint.host.empty()) return Error::Config("base_url has no host");
  endpoint.port = parsed->has_port() ? parsed->port_number() : (endpoint.tls ? 443 : 80);
  if (parsed->has_port() && endpoint.port == 0) return Error::Config("base_url has a bad port");
  endpoint.base_path = std::string(parsed->encoded_path());
  while (!endpoint.base_path.empty() && endpoint.base_path.back() == '/') {
    endpoint.base_path.pop_back();
  }
  endpoint.pool_key = fmt::format("{}://{}:{}", scheme, endpoint.host, endpoint.port);
  return endpoint;
}

}  // namespace switchyard::http
