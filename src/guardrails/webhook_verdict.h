// A webhook guardrail's exchange with the user's service (CONTRACT.md "Guardrails"), without the
// transport (the gateway POSTs it: gateway/external_guardrails.h):
//   request  { guardrail, on, text, model, key_name, metadata }
//   verdict  { verdict: allow | deny | redact, spans?: [{ start, end, kind }], reason? }
// `text` is the stage's texts joined by "\n" (JoinedTexts); span offsets are in Unicode code points
// of it (what Python's and most languages' string indices count). A verdict of deny or redact
// means the check fired, and the guardrail's action decides what happens; only action redact
// replaces the spans (deny without spans under action redact stops the call).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "guardrails/guard_outcome.h"
#include "guardrails/guardrail_set.h"
#include "guardrails/message_texts.h"

namespace switchyard::guardrails {

// The most a verdict's body may be, and the most spans it may give.
inline constexpr std::size_t kMaxVerdictBytes = 256 * 1024;
inline constexpr std::size_t kMaxVerdictSpans = 1000;

// A stage's texts as one: where each begins in `text`.
struct JoinedTexts {
  std::string text;
  std::vector<std::size_t> begins;  // of each of the texts, in order
};
JoinedTexts Join(const std::vector<GuardedText>& texts);

struct WebhookContext {
  std::string_view model;          // as the client named it
  std::string_view key_name;
  std::string_view metadata_json;  // x-switchyard-metadata; empty when none
};

std::string WebhookRequestBody(const Guardrail& guardrail, std::string_view text,
                               const WebhookContext& context);

struct WebhookSpan {
  std::size_t begin = 0, end = 0;  // byte offsets into the joined text
  std::string kind;                // [a-z0-9_], at most 32 characters; "webhook" otherwise
};

struct WebhookVerdict {
  bool fired = false;  // deny or redact
  std::vector<WebhookSpan> spans;
  std::string reason;           // the service's, cut short; "the webhook said deny" when none
};

// The service's answer; an error (kUpstreamProtocol) for a body that is not a verdict or a span
// outside the text — which the guardrail's on_timeout then decides, like a timeout.
Result<WebhookVerdict> ParseWebhookVerdict(std::string_view body, std::string_view text);

// Applies a verdict for `guardrail` to the texts it judged (redacting them in place for action
// redact, inside JSON strings only for tool arguments), recording it in `outcome`.
void ApplyWebhookVerdict(const Guardrail& guardrail, const WebhookVerdict& verdict,
                         const JoinedTexts& joined, std::vector<GuardedText>& texts,
                         GuardOutcome& outcome);

}  // namespace switchyard::guardrails
