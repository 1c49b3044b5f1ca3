// The Wilson score interval for a win rate (issue 17, "Results"): the range of true win rates
// that the observed one is consistent with. Chosen over the textbook "p ± z·sqrt(p(1-p)/n)"
// because that one collapses to a zero-width interval at 0 or n wins and can leave [0, 1] for
// small n — exactly the early days of an experiment. Ties count as half a win, so `successes`
// may be fractional. This is a fixed-n interval, for showing a win rate; it is not safe to decide
// on when it is looked at every day — the verdict comes from sequential_test.h.
#pragma once

namespace switchyard::experiments {

struct Interval {
  double low;
  double high;
};

// The two-sided Wilson interval for `successes` out of `trials` (z = 1.96 for 95%); {0, 1} when
// there are no trials, since nothing is known yet. `successes` is clamped to [0, trials].
Interval WilsonInterval(double successes, double trials, double z = 1.959963984540054);

}  // namespace switchyard::experiments
