#include "http/server/endpoint_table.h"

namespace switchyard::http {

void EndpointTable::Add(std::string_view method, std::string path, RequestHandler handler) {
  Entry entry{std::string(method), std::move(path), false, std::move(handler)};
  if (!entry.path.empty() && entry.path.back() == '*') {
    entry.path.pop_back();
    entry.prefix = true;
  }
  entries_.push_back(std::move(entry));
}

bool EndpointTable::Matches(const Entry& entry, std::string_view path) const {
  return entry.prefix ? path.starts_with(entry.path) : path == entry.path;
}

Task<> EndpointTable::Dispatch(IncomingRequest& request, Downstream& downstream) const {
  std::string allowed;
  for (const Entry& entry : entries_) {
    if (!Matches(entry, request.path)) continue;
    if (entry.method == request.method()) {
      co_await entry.handler(request, downstream);
      co_return;
    }
    if (!allowed.empty()) allowed += ", ";
    allowed += entry.method;
  }
  if (fallback_) co_await fallback_(request, downstream, allowed);
}

}  // namespace switchyard::http
