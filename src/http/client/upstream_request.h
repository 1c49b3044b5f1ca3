// UpstreamRequest: an HTTP request to a provider, as an adapter builds it. Plain data, free of Asio,
// so that adapters (and their fuzz targets) never pull in the networking code.
#pragma once

#include <string>

#include "http/server/http_response.h"

namespace switchyard::http {

struct UpstreamRequest {
  std::string method = "POST";
  std::string target;  // path and query, e.g. "/v1/chat/completions"
  HeaderList headers;  // Host and Content-Length are added by the exchange
  std::string body;
};

}  // namespace switchyard::http
