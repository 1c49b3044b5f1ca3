// EndpointTable: method + path → handler. 404 versus 405 falls out of the lookup (Boost.MySQL's
// example server). Built once per worker thread at startup and read-only afterwards.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/asio.h"
#include "http/server/downstream.h"
#include "http/server/incoming_request.h"

namespace switchyard::http {

using RequestHandler = std::function<Task<>(IncomingRequest&, Downstream&)>;

class EndpointTable {
 public:
  // `path` is exact, or ends in '*' to match a prefix.
  void Add(std::string_view method, std::string path, RequestHandler handler);

  // Called for an unknown path, or a known path with another method (`allowed` non-empty then).
  using FallbackHandler = std::function<Task<>(IncomingRequest&, Downstream&,
                                               std::string_view allowed_methods)>;
  void SetFallback(FallbackHandler handler) { fallback_ = std::move(handler); }

  Task<> Dispatch(IncomingRequest& request, Downstream& downstream) const;

 private:
  struct Entry {
    std::string method;
    std::string path;
    bool prefix = false;
    RequestHandler handler;
  };
  bool Matches(const Entry& entry, std::string_view path) const;

  std::vector<Entry> entries_;
  FallbackHandler fallback_;
};

}  // namespace switchyard::http
