#include "guardrails/text_guard.h"

#include <algorithm>

#include "guardrails/redaction.h"

namespace switchyard::guardrails {
namespace {

// The non-JSON texts joined, for a text check (a length, a JSON answer).
std::string JoinedText(const std::vector<GuardedText>& texts) {
  std::string joined;
  for (const GuardedText& text : texts) {
    if (text.json) continue;
    if (!joined.empty()) joined += '\n';
    joined += *text.text;
  }
  return joined;
}

void RunSpanCheck(const Guardrail& guardrail, std::vector<GuardedText>& texts,
                  GuardOutcome& outcome) {
  std::vector<TextSpan> found;
  for (GuardedText& text : texts) {
    std::vector<TextSpan> spans = SpansOf(guardrail, *text.text);
    if (spans.empty()) continue;
    found.insert(found.end(), spans.begin(), spans.end());
    if (guardrail.config.action != config::GuardrailAction::kRedact) continue;
    if (text.json) spans = KeepInJsonStrings(*text.text, spans);
    if (spans.empty()) continue;
    *text.text = Redact(*text.text, spans);
    outcome.changed = true;
  }
  if (!found.empty()) Act(guardrail, FoundReason(found), outcome);
}

}  // namespace

void GuardOutcome::Fire(const Guardrail& guardrail) {
  fired.push_back({guardrail.config.name, guardrail.config.action});
}

void AppendFired(const std::vector<Fired>& fired, std::string& existing) {
  for (const Fired& one : fired) {
    if (!existing.empty()) existing += ',';
    existing += one.name;
    existing += ':';
    existing += config::ToString(one.action);
  }
}

std::vector<TextSpan> SpansOf(const Guardrail& guardrail, std::string_view text) {
  std::vector<TextSpan> spans;
  guardrail.check->FindSpans(text, spans);
  return Disjoint(std::move(spans));
}

std::string FoundReason(const std::vector<TextSpan>& spans) {
  std::vector<std::string_view> kinds;
  for (const TextSpan& span : spans) {
    if (std::find(kinds.begin(), kinds.end(), span.kind) == kinds.end()) kinds.push_back(span.kind);
  }
  std::string reason;
  for (std::string_view kind : kinds) {
    if (!reason.empty()) reason += ", ";
    reason += kind;
  }
  return reason + " found";
}

bool Act(const Guardrail& guardrail, std::string reason, GuardOutcome& outcome) {
  outcome.Fire(guardrail);
  const config::GuardrailAction action = guardrail.config.action;
  if (action != config::GuardrailAction::kDeny && action != config::GuardrailAction::kFallback) {
    return true;
  }
  outcome.stopped = &guardrail;
  outcome.reason = std::move(reason);
  return false;
}

void RunTextGuards(std::span<const Guardrail* const> guardrails, std::vector<GuardedText>& texts,
                   GuardOutcome& outcome) {
  for (const Guardrail* guardrail : guardrails) {
    if (guardrail->external) continue;  // the gateway asks it (gateway/external_guardrails.h)
    if (guardrail->finds_spans) {
      RunSpanCheck(*guardrail, texts, outcome);
    } else if (auto reason = guardrail->check->JudgeText(JoinedText(texts))) {
      Act(*guardrail, std::move(*reason), outcome);
    }
    if (outcome.stopped != nullptr) return;
  }
}

}  // namespace switchyard::guardrails
