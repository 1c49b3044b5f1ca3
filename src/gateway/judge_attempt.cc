#include "gateway/judge_attempt.h"

#include <fmt/format.h>

#include "core/redact.h"
#include "gateway/attempt_price.h"
#include "http/client/upstream_exchange.h"

namespace switchyard::gateway {
namespace {

using Clock = std::chrono::steady_clock;

std::int64_t MsSince(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

http::UpstreamDeadlines Capped(http::UpstreamDeadlines deadlines, std::chrono::milliseconds cap) {
  for (auto* phase : {&deadlines.connect, &deadlines.first_byte, &deadlines.idle, &deadlines.total}) {
    *phase = std::min(*phase, cap);
  }
  return deadlines;
}

}  // namespace

// GCC 12 false positive on coroutine frames (as in call_attempts.cc).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
Task<JudgeOutcome> RunJudgeAttempt(Worker& worker, const SideExchange& side, CancelScope* watch,
                                   const canonical::ChatRequest& question) {
  const routing::PlannedTarget& target = side.target;
  const routing::ProviderRuntime& provider = *target.provider;
  const std::string_view api_key = side.api_key;
  const Clock::time_point start = Clock::now();
  JudgeOutcome outcome;
  ledger::AttemptRecord& record = outcome.record;
  record.kind = side.kind;
  record.provider = provider.config->name;
  record.model = target.model;
  // A failed exchange reported no usage: priced as such (a known $0 for a priced model), as the
  // router's attempts are, so that it never makes the call's cost unknown.
  auto fail = [&](ledger::AttemptOutcome how, std::string reason) {
    record.outcome = how;
    record.reason = RedactSecrets(reason, api_key);
    record.latency_ms = MsSince(start);
    record.cost_nanos = PriceAtProvider(*worker.state.catalog, *provider.config, target.model,
                                        record.usage, side.call_time);
  };
  providers::UpstreamTarget upstream_target{provider.config, target.model, api_key,
                                            &provider.endpoint, target.params_json};
  auto upstream = provider.adapter->EncodeRequest(question, upstream_target);
  if (!upstream) {
    fail(ledger::AttemptOutcome::kUpstreamError, upstream.error().message);
    co_return outcome;
  }
  // The exchange keeps a reference to its deadlines: they live as long as it does.
  const http::UpstreamDeadlines deadlines = Capped(provider.config->deadlines, side.timeout);
  http::UpstreamExchange exchange(worker.pool, provider.endpoint, deadlines);
  const WatchMembership joined(watch, [&exchange] { exchange.Cancel(); });
  const Status sent = co_await exchange.Send(upstream->upstream);
  if (!sent.ok()) {
    fail(sent.error().kind == ErrorKind::kUpstreamTimeout ? ledger::AttemptOutcome::kTimeout
                                                          : ledger::AttemptOutcome::kConnectError,
         sent.error().message);
    co_return outcome;
  }
  record.http_status = exchange.status();
  auto body = co_await exchange.ReadAll(provider.config->max_response_body);
  if (!body) {
    fail(body.error().kind == ErrorKind::kUpstreamTimeout ? ledger::AttemptOutcome::kTimeout
                                                          : ledger::AttemptOutcome::kUpstreamError,
         body.error().message);
    co_return outcome;
  }
  if (exchange.status() >= 400) {
    providers::ProviderError error =
        providers::Redacted(provider.adapter->ParseError(exchange.status(), *body), api_key);
    fail(ledger::AttemptOutcome::kUpstreamError,
         fmt::format("the model answered {}: {}", exchange.status(), error.message));
    co_return outcome;
  }
  auto answer = provider.adapter->DecodeResponse(*body);
  if (!answer) {
    fail(ledger::AttemptOutcome::kUpstreamError, answer.error().message);
    co_return outcome;
  }
  // The judge's words become a reason the client reads: redacted like every provider string.
  for (canonical::ContentPart& part : answer->message.content) {
    part.text = RedactSecrets(part.text, api_key);
  }
  record.usage = answer->usage;
  record.cost_nanos = PriceAtProvider(*worker.state.catalog, *provider.config, target.model,
                                      record.usage, side.call_time);
  record.latency_ms = MsSince(start);
  outcome.answer = std::move(answer).value();
  co_return outcome;
}
#pragma GCC diagnostic pop

}  // namespace switchyard::gateway
