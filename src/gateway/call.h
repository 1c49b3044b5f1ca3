// Call: one client call from the gateway's point of view — its request id, clock, the record that
// becomes its access-log line and ledger rows, and the response headers every answer carries.
// Finish() hands the record to the sinks exactly once, whatever path the call took (the destructor
// does it if a handler returned early), so no call goes unrecorded.
#pragma once

#include <chrono>
#include <string>

#include "core/asio.h"
#include "core/error.h"
#include "gateway/gateway_state.h"
#include "http/server/downstream.h"
#include "http/server/incoming_request.h"
#include "inbound/inbound_codec.h"
#include "ledger/call_record.h"

namespace switchyard::gateway {

class Call {
 public:
  using Clock = std::chrono::steady_clock;

  // `codec` is the client's API: it shapes every error the call answers with.
  Call(const GatewayState& state, const http::IncomingRequest& request,
       const inbound::InboundCodec& codec);
  ~Call();
  Call(const Call&) = delete;

  ledger::CallRecord& record() { return record_; }
  const inbound::InboundCodec& codec() const { return codec_; }
  const std::string& request_id() const { return record_.request_id; }
  Clock::time_point start() const { return start_; }
  std::int64_t ElapsedMs() const;

  // The x-switchyard-* headers for the answer as it stands (provider, model), with `attempts` as
  // the attempt count.
  http::HeaderList ResponseHeaders(std::size_t attempts) const;

  // Answers with an error in the client API's shape. `extra` headers are added (e.g. retry-after).
  Task<> RespondError(http::Downstream& downstream, const Error& error,
                      http::HeaderList extra = {});

  // Records the call (once).
  void Finish();

 private:
  const GatewayState& state_;
  const inbound::InboundCodec& codec_;
  Clock::time_point start_;
  ledger::CallRecord record_;
  bool finished_ = false;
};

// A fresh request id: "req_" and 24 hex digits — the time in milliseconds, then random bits.
std::string NewRequestId();

}  // namespace switchyard::gateway
