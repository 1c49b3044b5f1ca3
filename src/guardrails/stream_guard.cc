#include "guardrails/stream_guard.h"

#include <algorithm>

#include "canonical/response_events.h"
#include "guardrails/message_texts.h"
#include "guardrails/output_guard.h"
#include "guardrails/redaction.h"
#include "guardrails/text_guard.h"

namespace switchyard::guardrails {
namespace {

using Kind = canonical::StreamEvent::Kind;

// Held text past this many windows goes out whatever it looks like: a stream that is one endless
// token must not be held without bound.
constexpr std::size_t kMaxHeldWindows = 64;

std::size_t BackToCharBoundary(std::string_view text, std::size_t cut) {
  while (cut > 0 && cut < text.size() && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  return cut;
}

// Just after the last whitespace before `cut`, when there is one: a word is cut whole.
std::size_t BackToWhitespace(std::string_view text, std::size_t cut) {
  const std::size_t space = text.substr(0, cut).find_last_of(" \t\r\n");
  return space == std::string_view::npos ? cut : space + 1;
}

canonical::StreamEvent Delta(const std::string& text, bool tool, int index) {
  canonical::StreamEvent event;
  event.kind = tool ? Kind::kToolCallDelta : Kind::kTextDelta;
  event.index = index;
  event.text = text;
  return event;
}

}  // namespace

StreamGuard::StreamGuard(std::span<const Guardrail* const> guardrails, std::size_t max_hold_bytes)
    : max_hold_bytes_(max_hold_bytes) {
  for (const Guardrail* guardrail : guardrails) {
    switch (guardrail->config.stream) {
      case config::GuardrailStream::kWindow: window_.push_back(guardrail); break;
      case config::GuardrailStream::kHold: hold_.push_back(guardrail); break;
      case config::GuardrailStream::kAfter: after_.push_back(guardrail); break;
    }
  }
  if (!hold_.empty() || !after_.empty()) assembler_.emplace(max_hold_bytes_);
  has_external_ = std::any_of(guardrails.begin(), guardrails.end(),
                              [](const Guardrail* guardrail) { return guardrail->external; });
}

void StreamGuard::Resume(GuardOutcome external, std::vector<canonical::StreamEvent>& out) {
  if (!awaiting_) return;
  outcome_.fired.insert(outcome_.fired.end(), external.fired.begin(), external.fired.end());
  if (external.stopped != nullptr) {
    outcome_.stopped = external.stopped;
    outcome_.reason = std::move(external.reason);
  } else if (replay_awaiting_) {
    for (canonical::StreamEvent& event : canonical::EventsOf(*awaiting_)) {
      Pass(std::move(event), out);
    }
  }
  awaiting_.reset();
}

void StreamGuard::Observe(canonical::StreamEvent event, std::vector<canonical::StreamEvent>& out) {
  if (stopped() || ended_) return;
  if (assembler_) assembler_->Observe(event);
  if (!hold_.empty()) {
    // The error of a failed stream goes on at once: there is no answer left to check.
    if (event.kind == Kind::kError) Pass(std::move(event), out);
    return;
  }
  ObserveWindowed(std::move(event), out);
}

void StreamGuard::ObserveWindowed(canonical::StreamEvent event,
                                  std::vector<canonical::StreamEvent>& out) {
  switch (event.kind) {
    case Kind::kStart:
      if (!started_) return prelude_.push_back(std::move(event));
      return Pass(std::move(event), out);
    case Kind::kTextDelta:
      if (tool_) Release(*tool_, true, out);
      tool_.reset();
      return Append(text_, event.text, out);
    case Kind::kToolCallDelta:
      if (!tool_ || tool_->index != event.index) {
        Release(text_, true, out);
        if (tool_) Release(*tool_, true, out);
        tool_ = Pending{{}, true, event.index, {}};
      }
      return Append(*tool_, event.text, out);
    default:
      FlushAll(out);
      if (!stopped()) Pass(std::move(event), out);
      return;
  }
}

void StreamGuard::Append(Pending& pending, std::string_view text,
                         std::vector<canonical::StreamEvent>& out) {
  pending.held.append(text);
  if (window_.empty()) return Release(pending, true, out);
  const std::size_t window = static_cast<std::size_t>(window_.front()->config.window_chars);
  // Checked once a quarter window more than the window has come, so each byte is scanned a few
  // times, not once per delta.
  if (pending.held.size() >= window + std::max<std::size_t>(window / 4, 16)) {
    Release(pending, false, out);
  }
}

void StreamGuard::Release(Pending& pending, bool flush, std::vector<canonical::StreamEvent>& out) {
  if (stopped() || pending.held.empty()) return;
  const std::string_view held = pending.held;
  std::vector<std::pair<const Guardrail*, std::vector<TextSpan>>> found;
  for (const Guardrail* guardrail : window_) {
    std::vector<TextSpan> spans = SpansOf(*guardrail, held);
    if (spans.empty()) continue;
    const config::GuardrailAction action = guardrail->config.action;
    // A match still growing at the held text's end is judged once it is whole.
    const bool whole = flush || spans.front().end < held.size();
    if (whole && (action == config::GuardrailAction::kDeny ||
                  action == config::GuardrailAction::kFallback)) {
      return Stop(*guardrail, FoundReason(spans));
    }
    found.emplace_back(guardrail, std::move(spans));
  }
  const std::size_t cut = flush ? held.size() : CutOf(held, found);
  if (cut == 0) return;
  std::vector<TextSpan> redact;
  for (const auto& [guardrail, spans] : found) {
    for (const TextSpan& span : spans) {
      if (span.end > cut) continue;
      FireOnce(*guardrail);  // its match goes out now, redacted or flagged
      if (guardrail->config.action == config::GuardrailAction::kRedact) redact.push_back(span);
    }
  }
  redact = Disjoint(std::move(redact));
  if (pending.json) redact = KeepInJsonStrings(held, redact, pending.cursor);
  const std::string piece = Redact(held.substr(0, cut), redact);
  if (pending.json) pending.cursor = Advance(pending.cursor, held.substr(0, cut));
  pending.held.erase(0, cut);
  Pass(Delta(piece, pending.json, pending.index), out);
}

// How much of `held` may go now: all but the window, cut at whitespace, never inside a match.
std::size_t StreamGuard::CutOf(
    std::string_view held,
    const std::vector<std::pair<const Guardrail*, std::vector<TextSpan>>>& found) const {
  const std::size_t window = static_cast<std::size_t>(window_.front()->config.window_chars);
  if (held.size() <= window) return 0;
  std::size_t cut = BackToWhitespace(held, BackToCharBoundary(held, held.size() - window));
  for (const auto& [guardrail, spans] : found) {
    for (const TextSpan& span : spans) {
      if (span.begin < cut && span.end > cut) cut = span.begin;
    }
  }
  if (cut == 0 && held.size() > kMaxHeldWindows * window) {
    cut = BackToCharBoundary(held, held.size() - window);
  }
  return cut;
}

void StreamGuard::FlushAll(std::vector<canonical::StreamEvent>& out) {
  Release(text_, true, out);
  if (tool_) Release(*tool_, true, out);
  tool_.reset();
}

void StreamGuard::Pass(canonical::StreamEvent event, std::vector<canonical::StreamEvent>& out) {
  if (!started_) {
    started_ = true;
    for (canonical::StreamEvent& opening : prelude_) out.push_back(std::move(opening));
    prelude_.clear();
  }
  out.push_back(std::move(event));
}

void StreamGuard::FireOnce(const Guardrail& guardrail) {
  const bool fired = std::any_of(outcome_.fired.begin(), outcome_.fired.end(),
                                 [&](const Fired& f) { return f.name == guardrail.config.name; });
  if (!fired) outcome_.Fire(guardrail);
}

void StreamGuard::Stop(const Guardrail& guardrail, std::string reason) {
  outcome_.Fire(guardrail);
  outcome_.stopped = &guardrail;
  outcome_.reason = std::move(reason);
}

void StreamGuard::End(std::vector<canonical::StreamEvent>& out) {
  if (ended_ || stopped()) return;
  ended_ = true;
  if (!hold_.empty()) return EndHold(out);
  FlushAll(out);
  if (!stopped()) RunAfter();
  for (canonical::StreamEvent& opening : prelude_) out.push_back(std::move(opening));
  prelude_.clear();
}

// The whole answer, checked by every guardrail but the after ones, goes out as one replay.
void StreamGuard::EndHold(std::vector<canonical::StreamEvent>& out) {
  const bool overflowed = assembler_->overflowed();
  std::optional<canonical::ChatResponse> response = std::move(*assembler_).Take();
  assembler_.reset();
  if (!response) {
    if (overflowed) Stop(*hold_.front(), "the answer is too large to hold for its checks");
    return;  // cut short or failed: the caller ends the stream as it would without guardrails
  }
  std::vector<const Guardrail*> before(window_);
  before.insert(before.end(), hold_.begin(), hold_.end());
  GuardOutcome whole = GuardAnswer(before, *response);
  outcome_.fired.insert(outcome_.fired.end(), whole.fired.begin(), whole.fired.end());
  if (whole.stopped != nullptr) {
    outcome_.stopped = whole.stopped;
    outcome_.reason = std::move(whole.reason);
    return;
  }
  GuardOutcome late = GuardAnswer(after_, *response);
  outcome_.fired.insert(outcome_.fired.end(), late.fired.begin(), late.fired.end());
  if (has_external_) {
    awaiting_ = std::move(response);
    replay_awaiting_ = true;
    return;
  }
  for (canonical::StreamEvent& event : canonical::EventsOf(*response)) {
    Pass(std::move(event), out);
  }
}

void StreamGuard::RunAfter() {
  if (!assembler_) return;
  std::optional<canonical::ChatResponse> response = std::move(*assembler_).Take();
  assembler_.reset();
  if (!response) return;
  GuardOutcome late = GuardAnswer(after_, *response);
  outcome_.fired.insert(outcome_.fired.end(), late.fired.begin(), late.fired.end());
  if (has_external_) awaiting_ = std::move(response);  // flagged by the webhooks: nothing held
}

}  // namespace switchyard::guardrails
