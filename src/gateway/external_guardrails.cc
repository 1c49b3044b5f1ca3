#include "gateway/external_guardrails.h"

#include "gateway/client_request.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "gateway/judge_attempt.h"
#include "guardrails/llm_judge.h"
#include "guardrails/text_guard.h"
#include "http/client/upstream_exchange.h"

namespace switchyard::gateway {
namespace {

using guardrails::Guardrail;

http::UpstreamDeadlines DeadlinesOf(const Guardrail& guardrail) {
  const std::chrono::milliseconds timeout(guardrail.config.timeout_ms);
  http::UpstreamDeadlines deadlines;
  deadlines.connect = deadlines.first_byte = deadlines.idle = deadlines.total = timeout;
  return deadlines;
}

// The upstream client's errors speak of a provider and its phases; a webhook's say what the
// guardrail's own deadline was.
Error ExchangeError(const Guardrail& guardrail, const Error& error) {
  if (error.kind == ErrorKind::kUpstreamTimeout) {
    return Error::UpstreamTimeout(
        fmt::format("no verdict within its timeout_ms ({} ms)", guardrail.config.timeout_ms));
  }
  if (error.kind == ErrorKind::kUpstreamConnect) {
    return Error::UpstreamConnect("it could not be reached");
  }
  return Error::UpstreamProtocol("its answer broke off or was not HTTP");
}

// GCC 12 false positive on coroutine frames (as in call_attempts.cc).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
Task<Result<guardrails::WebhookVerdict>> AskWebhook(Worker& worker, ClientWatch* watch,
                                                    const Guardrail& guardrail,
                                                    std::string_view text,
                                                    const guardrails::WebhookContext& context) {
  auto endpoint = http::ParseUpstreamEndpoint(guardrail.config.url);  // checked at load
  if (!endpoint) co_return std::move(endpoint).error();
  // The exchange keeps a reference to its deadlines: they live as long as it does.
  const http::UpstreamDeadlines deadlines = DeadlinesOf(guardrail);
  http::UpstreamExchange exchange(worker.pool, *endpoint, deadlines);
  http::UpstreamRequest request;
  request.target = endpoint->base_path.empty() ? "/" : endpoint->base_path;
  request.headers.emplace_back("Content-Type", "application/json");
  for (const auto& [name, value] : guardrail.config.headers) {
    request.headers.emplace_back(name, value.reveal());
  }
  request.body = guardrails::WebhookRequestBody(guardrail, text, context);
  const WatchMembership joined(watch, [&exchange] { exchange.Cancel(); });
  Status sent = co_await exchange.Send(request);
  if (!sent.ok()) co_return ExchangeError(guardrail, sent.error());
  if (exchange.status() < 200 || exchange.status() > 299) {
    co_return Error::UpstreamProtocol(fmt::format("it answered HTTP {}", exchange.status()));
  }
  auto body = co_await exchange.ReadAll(guardrails::kMaxVerdictBytes);
  if (!body) co_return ExchangeError(guardrail, body.error());
  co_return guardrails::ParseWebhookVerdict(*body, text);
}

// The judge's verdict as a webhook's (no spans: an llm guardrail cannot redact).
Task<Result<guardrails::WebhookVerdict>> AskJudge(Worker& worker, Call& call, ClientWatch* watch,
                                                  const Guardrail& guardrail,
                                                  std::string_view text) {
  const auto judge = worker.state.guardrail_judges.find(guardrail.config.name);
  if (judge == worker.state.guardrail_judges.end()) {  // resolved at start-up
    co_return Error::Internal("the guardrail's judge model was not resolved");
  }
  const canonical::ChatRequest question =
      guardrails::JudgeRequest(guardrail, text, judge->second->model);
  SideExchange exchange{*judge->second, ApiKeyFor(call.request(), *judge->second),
                        ledger::AttemptKind::kGuardrail,
                        std::chrono::milliseconds(guardrail.config.timeout_ms),
                        call.record().time};
  JudgeOutcome outcome = co_await RunJudgeAttempt(worker, exchange, watch, question);
  std::optional<canonical::ChatResponse> answer = std::move(outcome.answer);
  const std::string failure = outcome.record.reason;
  call.AddSideAttempt(std::move(outcome.record));
  if (!answer) co_return Error::UpstreamProtocol(failure);
  auto verdict = guardrails::ReadJudgeAnswer(*answer);
  if (!verdict) co_return std::move(verdict).error();
  guardrails::WebhookVerdict as_verdict;
  as_verdict.fired = verdict->fired;
  as_verdict.reason = std::move(verdict->reason);
  co_return as_verdict;
}

}  // namespace

bool HasExternal(std::span<const Guardrail* const> guardrails) {
  return std::any_of(guardrails.begin(), guardrails.end(),
                     [](const Guardrail* guardrail) { return guardrail->external; });
}

Task<> AskExternalGuardrails(Worker& worker, Call& call, ClientWatch* watch,
                             std::span<const Guardrail* const> guardrails,
                             std::vector<guardrails::GuardedText>& texts,
                             const guardrails::WebhookContext& context,
                             guardrails::GuardOutcome& outcome) {
  for (const Guardrail* guardrail : guardrails) {
    if (!guardrail->external || outcome.stopped != nullptr) continue;
    const guardrails::JoinedTexts joined = guardrails::Join(texts);
    Result<guardrails::WebhookVerdict> verdict = Error::Internal("not asked");
    if (guardrail->config.check == "llm") {
      verdict = co_await AskJudge(worker, call, watch, *guardrail, joined.text);
    } else {
      verdict = co_await AskWebhook(worker, watch, *guardrail, joined.text, context);
    }
    if (verdict) {
      guardrails::ApplyWebhookVerdict(*guardrail, *verdict, joined, texts, outcome);
      continue;
    }
    // The URL is not logged: its query may hold a token.
    const std::string why = verdict.error().message.substr(0, 200);
    const bool allow = guardrail->config.on_timeout_allow.value_or(false);
    const std::string_view asked = guardrail->config.check == "llm" ? "judge model" : "webhook";
    spdlog::warn("guardrail '{}': its {} failed ({}); on_timeout: {}", guardrail->config.name,
                 asked, why, allow ? "allow" : "deny");
    if (allow) continue;
    const std::string reason = fmt::format("its {} did not answer: {}", asked, why);
    if (guardrails::Act(*guardrail, reason, outcome) &&
        guardrail->config.action == config::GuardrailAction::kRedact) {
      outcome.stopped = guardrail;  // nothing to redact: the call stops, as for a deny
      outcome.reason = reason;
    }
  }
}
#pragma GCC diagnostic pop

}  // namespace switchyard::gateway
