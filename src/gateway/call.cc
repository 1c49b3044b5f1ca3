#include "gateway/call.h"

#include <fmt/format.h>
#include <random>


namespace switchyard::gateway {

std::string NewRequestId() {
  // Request ids need uniqueness, not secrecy; a per-thread generator keeps this lock-free.
  thread_local std::mt19937_64 generator{std::random_device{}()};
  const std::uint64_t high = generator();
  const std::uint64_t low = generator();
  return fmt::format("req_{:016x}{:08x}", high, static_cast<std::uint32_t>(low));
}

Call::Call(const GatewayState& state, const http::IncomingRequest& request,
           const inbound::InboundCodec& codec)
    : state_(state), codec_(codec), start_(Clock::now()) {
  record_.request_id = NewRequestId();
  record_.time = std::chrono::system_clock::now();
  record_.method = std::string(request.method());
  record_.path = std::string(request.path);
  record_.inbound = std::string(codec.name());
}

Call::~Call() { Finish(); }

std::int64_t Call::ElapsedMs() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start_).count();
}

http::HeaderList Call::ResponseHeaders(std::size_t attempts) const {
  http::HeaderList headers;
  headers.emplace_back("x-switchyard-request-id", record_.request_id);
  if (!record_.provider.empty()) headers.emplace_back("x-switchyard-provider", record_.provider);
  if (!record_.model.empty()) headers.emplace_back("x-switchyard-model", record_.model);
  if (!record_.route.empty()) headers.emplace_back("x-switchyard-route", record_.route);
  headers.emplace_back("x-switchyard-attempts", std::to_string(attempts));
  return headers;
}

Task<> Call::RespondError(http::Downstream& downstream, const Error& error,
                          http::HeaderList extra) {
  record_.status = error.http_status;
  record_.error = error.message;
  http::HeaderList headers = ResponseHeaders(record_.attempts.size());
  headers.emplace_back("Content-Type", "application/json");
  // The gateway has already retried or failed over: the SDK should not pile its retries on top.
  if (record_.attempts.size() > 1) headers.emplace_back("x-should-retry", "false");
  for (auto& header : extra) headers.push_back(std::move(header));
  co_await downstream.Respond(error.http_status, std::move(headers), codec_.FormatError(error));
}

void Call::Finish() {
  if (finished_) return;
  finished_ = true;
  record_.latency_ms = ElapsedMs();
  state_.Record(record_);
}

}  // namespace switchyard::gateway
