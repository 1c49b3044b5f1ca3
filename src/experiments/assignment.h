// Which variant of an `ab` experiment a call gets (issue 17, "Experiments"): a pure function of
// the experiment's epoch, its variants' shares and the call's sticky value (the metadata key the
// route names, e.g. `user`, else the gateway key) — so one user always sees one variant, on every
// instance, across restarts, with no state to share. The epoch (a new one whenever the variants
// change) is mixed in, so a new epoch reshuffles users rather than carrying the old split over.
// Whether a call is judged is decided the same way from its request id, so a sample is
// reproducible.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace switchyard::experiments {

// A uniform number in [0, 1) from `salt` and `value` (FNV-1a 64, then a SplitMix64 finalizer for
// avalanche; not cryptographic — assignments are not secrets).
double UnitHash(std::string_view salt, std::string_view value);

// The index of the variant for `sticky_value`: shares are any non-negative weights (not
// necessarily summing to 100); nullopt when every share is 0 (a stopped or empty experiment).
std::optional<std::size_t> AssignVariant(std::span<const double> shares, std::string_view epoch,
                                         std::string_view sticky_value);

// Whether the call with `request_id` is in a judging sample of `rate` (0 to 1).
bool InSample(double rate, std::string_view epoch, std::string_view request_id);

}  // namespace switchyard::experiments
