// CallRequest: the client's request as every attempt of one call sees it — its raw bytes with
// their top-level scan (for same-format targets, which forward the bytes), and its canonical form
// (for targets of another wire format, which translate), decoded once per call and only when a
// target of the plan needs it.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "canonical/chat.h"
#include "core/result.h"
#include "gateway/attempt_path.h"
#include "guardrails/guardrail_set.h"
#include "providers/provider_adapter.h"
#include "wire/format.h"

namespace switchyard::gateway {

struct CallRequest {
  providers::PassthroughRequest passthrough;   // views into the client's request
  wire::Format inbound_format = wire::Format::kOpenAI;
  std::string requested_model;                 // as the client wrote it
  std::int64_t created = 0;                    // the call's unix time, for translated answers
  // Above 0: the response cache will store this call's answer, so the attempt that delivers it
  // keeps it in canonical form too (AttemptResult::answer), up to this many bytes.
  std::size_t capture_bytes = 0;
  // The call's guardrails (null or empty: none). With output guardrails, or once an input
  // guardrail rewrote the request, every chat attempt goes through the canonical model
  // (`through_canonical`): a rewritten request is re-encoded, and an answer is checked there.
  const guardrails::CallGuardrails* guardrails = nullptr;
  bool through_canonical = false;

  // How an attempt at a target of this wire format serves the call (gateway/attempt_path.h).
  AttemptPath PathTo(wire::Format target) const {
    return DecideAttemptPath(passthrough.operation, inbound_format, target, through_canonical);
  }

  // The request in canonical form, for translated attempts. An error, never a crash, when it was
  // not decoded (a path the call was not prepared for): the optional is reached only through here.
  Result<const canonical::ChatRequest*> Canonical() const {
    if (!canonical_) {
      return Error::Internal("the request was not prepared for translation to this target");
    }
    return &*canonical_;
  }
  bool has_canonical() const { return canonical_.has_value(); }
  void set_canonical(canonical::ChatRequest request) { canonical_ = std::move(request); }
  // For the input guardrails, which may redact it before any attempt reads it.
  canonical::ChatRequest* mutable_canonical() { return canonical_ ? &*canonical_ : nullptr; }

 private:
  std::optional<canonical::ChatRequest> canonical_;  // set when some target translates
};

}  // namespace switchyard::gateway
