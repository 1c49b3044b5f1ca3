// An `ab` route's experiment (CONTRACT.md "Route shapes", issue 17): its variants with their
// shares, how calls are judged, and whether a verdict may shift the traffic. Loaded by
// config/experiment_section.cc; the variants also become the route's targets, one for one, so that
// planning, cycle and depth checks treat them like any route's targets.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace switchyard::config {

struct ExperimentVariant {
  std::string name;    // unique within the route; results are kept under it
  std::string target;  // "provider/model" or a route's name
  double share = 1;    // any non-negative weight (0: no new traffic); split by proportion
  int line = 0;
};

// `judge:` — a model comparing (pairwise) or scoring (score) answers after the client has had its
// own, on a sample of the calls. Absent: the experiment splits traffic and counts, but judges none.
struct ExperimentJudge {
  std::string model;              // "provider/model" or a route (its first target)
  double sample = 0.1;            // the share of calls judged, 0 to 1
  std::string mode = "pairwise";  // pairwise | score
  std::string prompt;             // empty: the default prompt of the mode (README, "A/B testing")
  std::string rubric;             // added to the prompt where it says {rubric}; empty: none
  // `max_usd`: what judging (shadow and judge calls) may cost per UTC day; none: no cap.
  std::optional<std::int64_t> max_nanos_per_day;
  double margin = 0.05;              // win-rate points B may trail A by and still be "not worse"
  double confidence = 0.95;          // of the verdict (the sequential test's 1 - alpha)
  std::int64_t timeout_ms = 60'000;  // each shadow and judge exchange, at most
  std::int64_t max_tokens = 512;     // the judge's answer, at most
  int line = 0;
};

// `promote:` — once the verdict is reached, shift the shares to one variant and keep judging a
// small sample.
struct ExperimentPromotion {
  bool enabled = false;
  std::string to = "winner";  // winner | cheapest_not_worse
  double keep_sample = 0.05;  // the judging sample after promotion
};

struct ExperimentConfig {
  std::vector<ExperimentVariant> variants;  // the first is the control ("A")
  std::optional<ExperimentJudge> judge;
  ExperimentPromotion promote;
  // A digest of the variants as configured (names, targets, shares): a change to any of them
  // starts a new epoch, whose results are kept apart from the earlier ones'.
  std::string epoch;
};

// The epoch of `route`'s `variants`: "e" and 12 hex digits of a hash of the route's name and the
// variants' names, targets and shares.
std::string ExperimentEpoch(std::string_view route, const std::vector<ExperimentVariant>& variants);

}  // namespace switchyard::config
