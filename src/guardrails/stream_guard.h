// StreamGuard: a call's output guardrails on a streamed answer, between the provider's decoded
// events and the client's encoder (canonical events in, canonical events out), so that whatever
// the client's format the stream it gets stays one its SDK parses. How each guardrail meets the
// stream is its `stream:` (config/guardrail_config.h):
// - window (span checks): text and tool arguments go out as they arrive except for the last
//   window_chars, held back so that a match split across chunks is seen whole before any of it
//   leaves; a held run that already looks like a match (a key still streaming) is held until it
//   ends. Text is cut at whitespace, so a word is never judged without its beginning. Redacted
//   text goes out as ordinary deltas.
// - hold: nothing goes out until the stream has ended and the whole answer passed; it then goes
//   out as one replayed stream (canonical/response_events.h), redacted where needed.
// - after: the stream goes out as it comes; the whole answer is checked once it ended (flag only).
// Until the first content goes out the stream's opening is held too, so a guardrail that stops
// the answer early leaves the client untouched (a clean 502, or the next target for fallback);
// later, the caller ends the client's stream with an error event.
//
// One per attempt; not thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "canonical/chat.h"
#include "capture/response_assembler.h"
#include "guardrails/guard_outcome.h"
#include "guardrails/guardrail_set.h"
#include "guardrails/message_texts.h"

namespace switchyard::guardrails {

class StreamGuard {
 public:
  // `max_hold_bytes`: the most a hold may keep (the provider's max_response_body); past it the
  // answer is refused as too large to check.
  StreamGuard(std::span<const Guardrail* const> guardrails, std::size_t max_hold_bytes);

  // One decoded provider event; the events to pass on are appended to `out`.
  void Observe(canonical::StreamEvent event, std::vector<canonical::StreamEvent>& out);
  // The provider's stream has ended: what is still held, once the hold and after checks ran.
  void End(std::vector<canonical::StreamEvent>& out);

  // External guardrails (webhooks) are asked by the caller: after End, while awaiting_external(),
  // the whole answer they are to judge is awaiting_answer() (the built-in checks passed it, and
  // redacted it for hold); Resume takes their outcome and passes on what was held (hold: the whole
  // answer; after: nothing more).
  bool awaiting_external() const { return awaiting_.has_value(); }
  canonical::ChatResponse& awaiting_answer() { return *awaiting_; }
  void Resume(GuardOutcome external, std::vector<canonical::StreamEvent>& out);

  bool stopped() const { return outcome_.stopped != nullptr; }
  const GuardOutcome& outcome() const { return outcome_; }
  // Whether any event has been passed on.
  bool started() const { return started_; }

 private:
  // Text or one tool call's arguments still held back: only what has not gone out is kept (and,
  // for tool arguments, where the JSON stands after what has), so a long answer is not held.
  struct Pending {
    std::string held;
    bool json = false;
    int index = 0;      // tool call ordinal
    JsonCursor cursor;  // tool arguments: the JSON's state at the start of `held`
  };

  void ObserveWindowed(canonical::StreamEvent event, std::vector<canonical::StreamEvent>& out);
  void Append(Pending& pending, std::string_view text, std::vector<canonical::StreamEvent>& out);
  // Sends what may go of `pending` (all of it when `flush`), redacted.
  void Release(Pending& pending, bool flush, std::vector<canonical::StreamEvent>& out);
  std::size_t CutOf(
      std::string_view held,
      const std::vector<std::pair<const Guardrail*, std::vector<TextSpan>>>& found) const;
  void FlushAll(std::vector<canonical::StreamEvent>& out);
  void Pass(canonical::StreamEvent event, std::vector<canonical::StreamEvent>& out);
  void FireOnce(const Guardrail& guardrail);
  void Stop(const Guardrail& guardrail, std::string reason);
  void EndHold(std::vector<canonical::StreamEvent>& out);
  void RunAfter();

  std::vector<const Guardrail*> window_, hold_, after_;
  std::size_t max_hold_bytes_;
  std::optional<capture::ResponseAssembler> assembler_;  // for hold and after
  std::vector<canonical::StreamEvent> prelude_;  // the opening, until the first content
  Pending text_;
  std::optional<Pending> tool_;
  GuardOutcome outcome_;
  bool has_external_ = false;
  std::optional<canonical::ChatResponse> awaiting_;
  bool replay_awaiting_ = false;  // hold: the awaited answer goes out once judged
  bool started_ = false;
  bool ended_ = false;
};

}  // namespace switchyard::guardrails
