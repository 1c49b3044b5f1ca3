#include "gateway/external_guardrails.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>

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

// GCC 12 false positive on coroutine frames (as in call_attempts.cc).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
Task<Result<guardrails::WebhookVerdict>> AskWebhook(Worker& worker, const Guardrail& guardrail,
                                                    std::string_view text,
                                                    const guardrails::WebhookContext& context) {
  auto endpoint = http::ParseUpstreamEndpoint(guardrail.config.url);  // checked at load
  if (!endpoint) co_return std::move(endpoint).error();
  http::UpstreamExchange exchange(worker.pool, *endpoint, DeadlinesOf(guardrail));
  http::UpstreamRequest request;
  request.target = endpoint->base_path.empty() ? "/" : endpoint->base_path;
  request.headers.emplace_back("Content-Type", "application/json");
  for (const auto& [name, value] : guardrail.config.headers) {
    request.headers.emplace_back(name, value.reveal());
  }
  request.body = guardrails::WebhookRequestBody(guardrail, text, context);
  Status sent = co_await exchange.Send(request);
  if (!sent.ok()) co_return sent.error();
  if (exchange.status() < 200 || exchange.status() > 299) {
    co_return Error::UpstreamProtocol(fmt::format("it answered HTTP {}", exchange.status()));
  }
  auto body = co_await exchange.ReadAll(guardrails::kMaxVerdictBytes);
  if (!body) co_return std::move(body).error();
  co_return guardrails::ParseWebhookVerdict(*body, text);
}

}  // namespace

bool HasExternal(std::span<const Guardrail* const> guardrails) {
  return std::any_of(guardrails.begin(), guardrails.end(),
                     [](const Guardrail* guardrail) { return guardrail->external; });
}

Task<> AskExternalGuardrails(Worker& worker, std::span<const Guardrail* const> guardrails,
                             std::vector<guardrails::GuardedText>& texts,
                             const guardrails::WebhookContext& context,
                             guardrails::GuardOutcome& outcome) {
  for (const Guardrail* guardrail : guardrails) {
    if (!guardrail->external || outcome.stopped != nullptr) continue;
    const guardrails::JoinedTexts joined = guardrails::Join(texts);
    auto verdict = co_await AskWebhook(worker, *guardrail, joined.text, context);
    if (verdict) {
      guardrails::ApplyWebhookVerdict(*guardrail, *verdict, joined, texts, outcome);
      continue;
    }
    // The URL is not logged: its query may hold a token.
    const std::string why = verdict.error().message.substr(0, 200);
    const bool allow = guardrail->config.on_timeout_allow.value_or(false);
    spdlog::warn("guardrail '{}': its webhook failed ({}); on_timeout: {}", guardrail->config.name,
                 why, allow ? "allow" : "deny");
    if (allow) continue;
    const std::string reason = "its webhook did not answer: " + why;
    if (guardrails::Act(*guardrail, reason, outcome) &&
        guardrail->config.action == config::GuardrailAction::kRedact) {
      outcome.stopped = guardrail;  // nothing to redact: the call stops, as for a deny
      outcome.reason = reason;
    }
  }
}
#pragma GCC diagnostic pop

}  // namespace switchyard::gateway
