// AttemptPath: how one attempt of a call serves it at one target — the single decision of which
// operation runs there and whether it is translated. ProxiedCall asks it for every target of the
// plan while preparing the call (to refuse what no target can serve and to decode the request for
// translation once), and RunAttempt asks it again for the target an attempt runs at. Both ask the
// same function, so a call is never prepared for one kind of attempt and run as another (issue 11:
// a count_tokens call whose fallback reached an OpenAI-format target was run as a translated chat
// attempt on a request that had never been decoded, and crashed the gateway).
#pragma once

#include <string_view>

#include "core/result.h"

#include "providers/provider_adapter.h"
#include "routing/model_resolver.h"
#include "wire/format.h"

namespace switchyard::gateway {

enum class AttemptPath {
  kPassthrough,    // the target speaks the client's wire format: its bytes are forwarded
  kTranslated,     // a chat call to another wire format: through the canonical model
  kTokenEstimate,  // count_tokens at a target without that endpoint: the gateway's estimate,
                   // answered locally with no upstream call
  kRefused,        // no way to serve the operation at this target (embeddings across formats)
};

std::string_view ToString(AttemptPath path);

// The path for `operation`, called in the client's `inbound` format, at a target of wire format
// `target`. count_tokens is forwarded only to an Anthropic-format target of an Anthropic client
// (the only API that has the endpoint); every other count_tokens target is estimated.
// `through_canonical`: a chat call that must go through the canonical model whatever the target
// (guardrails read or rewrote it) is translated even to the client's own format.
AttemptPath DecideAttemptPath(providers::Operation operation, wire::Format inbound,
                              wire::Format target, bool through_canonical = false);

// What a whole plan asks of a call, whatever order routing later picks: whether some target
// translates (then the request is decoded into canonical form once, before any attempt).
struct PlanPaths {
  bool translates = false;
};

// The paths of every target of `plan`, nested ones included, for `operation` called in the
// `inbound` format. A target that cannot serve the call is the client's error (400, naming the
// requested model, the target's provider and its format), not a reason to fail over.
Result<PlanPaths> PathsOfPlan(const routing::Plan& plan, providers::Operation operation,
                              wire::Format inbound, std::string_view requested_model,
                              bool through_canonical = false);

}  // namespace switchyard::gateway
