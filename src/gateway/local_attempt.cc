// Attempts that make no upstream call. The token estimate: an Anthropic count_tokens call whose
// step reached a target that has no such endpoint (any other wire format) gets the documented
// estimate, and the ledger an attempt at that target with no tokens and no cost, so that the call
// still says where routing sent it. The refusal: a target that cannot serve the operation at all.
#include <fmt/format.h>

#include "gateway/attempt.h"
#include "json/object_scan.h"

namespace switchyard::gateway {
namespace {

// The documented estimate: about four bytes of the prompt's JSON (system, messages, tools) per
// token — the same rule the ledger uses for streams that never report usage.
std::int64_t EstimateInputTokens(const providers::PassthroughRequest& request) {
  std::size_t bytes = 0;
  if (request.scan != nullptr) {
    for (std::string_view name : {"system", "messages", "tools"}) {
      if (const json::Member* member = json::FindMember(*request.scan, name)) {
        bytes += json::ValueText(request.body, *member).size();
      }
    }
  }
  return static_cast<std::int64_t>((bytes + 3) / 4);
}

ledger::AttemptRecord RecordFor(const AttemptInput& input) {
  ledger::AttemptRecord record;
  record.n = input.record_n;
  record.kind = input.kind;
  record.provider = input.target->provider->config->name;
  record.model = input.target->model;
  return record;
}

}  // namespace

Task<AttemptResult> RunTokenEstimateAttempt(Call& call, http::Downstream& downstream,
                                            const AttemptInput& input) {
  const auto start = Call::Clock::now();
  AttemptResult result;
  result.record = RecordFor(input);
  result.record.cost_nanos = 0;  // no upstream call: nothing to pay, which is known, not unknown
  call.record().provider = result.record.provider;
  call.record().model = result.record.model;
  // Every attempt started so far, this one included.
  http::HeaderList headers = call.ResponseHeaders(call.attempts_started());
  headers.emplace_back("Content-Type", "application/json");
  headers.emplace_back("x-switchyard-token-count", "estimated");
  std::string body =
      fmt::format(R"({{"input_tokens":{}}})", EstimateInputTokens(input.request->passthrough));
  if (!ClaimCommit(input)) {
    result.error = Error::Cancelled("another attempt answered the call first");
    result.record.outcome = ledger::AttemptOutcome::kCancelled;
    result.record.reason = result.error->message;
    co_return result;
  }
  result.committed = true;
  if (!co_await downstream.Respond(200, std::move(headers), std::move(body))) {
    result.record.reason = "the client went away before the answer was delivered";
  }
  result.record.latency_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                 Call::Clock::now() - start).count();
  co_return result;
}

Task<AttemptResult> RunRefusedAttempt(const AttemptInput& input) {
  AttemptResult result;
  result.record = RecordFor(input);
  result.error = Error::InvalidRequest(fmt::format(
      "provider '{}' cannot serve this operation in the {} wire format",
      result.record.provider,
      wire::ToString(input.target->provider->adapter->wire_format())));
  result.error_class = providers::ErrorClass::kFatal;
  result.record.outcome = ledger::AttemptOutcome::kUpstreamError;
  result.record.reason = result.error->message;
  co_return result;
}

}  // namespace switchyard::gateway
