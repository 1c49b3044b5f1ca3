// PassthroughAttempt: one upstream try of a same-format call (the client speaks the provider's wire
// format). The client's bytes go up with only the gateway-owned fields rewritten; the answer comes
// back as the provider sent it — whole for plain calls, event by event for streams, never buffered
// whole, with backpressure (the next upstream read waits for the previous client write).
//
// Until the first byte reaches the client the attempt can fail without a trace on the client side,
// so the router may try another target; after that (the commit point) a failure ends the client's
// stream with an error event.
#pragma once

#include <optional>
#include <string>

#include "core/asio.h"
#include "core/error.h"
#include "gateway/call.h"
#include "gateway/gateway_state.h"
#include "http/server/downstream.h"
#include "ledger/call_record.h"
#include "providers/provider_adapter.h"
#include "routing/model_resolver.h"

namespace switchyard::gateway {

struct AttemptResult {
  ledger::AttemptRecord record;
  bool committed = false;     // bytes of this attempt reached the client: the call is decided
  std::optional<Error> error; // why the attempt did not deliver an answer (absent on success)
  providers::ErrorClass error_class = providers::ErrorClass::kFatal;
  std::string retry_after;    // the provider's retry-after, when it sent one
};

struct AttemptInput {
  const providers::PassthroughRequest* request = nullptr;
  const routing::PlannedTarget* target = nullptr;
  std::string_view api_key;  // the provider key for this call
  int n = 1;
  ledger::AttemptKind kind = ledger::AttemptKind::kPrimary;
};

Task<AttemptResult> RunPassthroughAttempt(Worker& worker, Call& call, http::Downstream& downstream,
                                          const AttemptInput& input);

}  // namespace switchyard::gateway
