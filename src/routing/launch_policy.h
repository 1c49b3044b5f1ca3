// LaunchPolicy: how the router (routing/router.h) starts a plan's steps. Data, not code: a
// sequential plan has one step in flight, each started when the one before it has failed; a race
// starts several at once, and the first to reach the client (routing/commit_point.h) cancels the
// rest; a hedge starts the next step when the ones in flight have not answered within a delay.
// The loop that runs steps is the same for all three (Router::RunPlan).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

namespace switchyard::routing {

// Why the router starts a step while others are still in flight.
enum class LaunchMode {
  kSequential,  // never: the next step starts when the one in flight has failed
  kRace,        // at once, up to max_in_flight together
  kHedge,       // when the steps in flight have not answered within the hedge delay
};

// When a hedge starts its next step: after `fixed`, or — with a quantile — after that quantile
// of the latest target's live latency (time to first token for streams), `fixed` while the
// latency tracker knows too few of its calls.
struct HedgeDelayPolicy {
  std::chrono::milliseconds fixed{0};
  std::optional<double> quantile;  // 0.90 for `delay: p90`
};

struct LaunchPolicy {
  LaunchMode mode = LaunchMode::kSequential;
  // The most steps in flight at once; 1 tries them one after another.
  int max_in_flight = 1;
  HedgeDelayPolicy hedge;  // kHedge only
  // The worst-case spend, in nano-dollars, that the steps started together may add up to
  // (`max_cost_usd`): a step that would pass it is not started, and neither is one whose worst
  // case is unknown (no price) — except the plan's first step, which always starts.
  std::optional<std::int64_t> max_cost_nanos;
};

}  // namespace switchyard::routing
