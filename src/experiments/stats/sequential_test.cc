#include "experiments/stats/sequential_test.h"

#include <algorithm>
#include <cmath>

namespace switchyard::experiments {
namespace {

// The largest stake as a fraction of 1/m: a factor 1 + lambda (y - m) is then >= 1 - kMaxStake.
constexpr double kMaxStake = 0.5;

}  // namespace

BettingTest::BettingTest(double null_mean, double alpha)
    // Clamped so that 1/m and log(1/alpha) stay finite.
    : null_mean_(std::clamp(null_mean, 1e-6, 1 - 1e-6)), alpha_(std::clamp(alpha, 1e-9, 0.5)) {}

double BettingTest::wealth() const { return std::exp(log_wealth_); }

double BettingTest::mean() const { return n_ == 0 ? 0.5 : sum_ / static_cast<double>(n_); }

// Waudby-Smith & Ramdas's smoothed estimates: a pseudo-observation of mean 1/2 and variance 1/4,
// so the first bets are small rather than wild.
double BettingTest::SmoothedMean() const { return (0.5 + sum_) / static_cast<double>(n_ + 1); }

double BettingTest::SmoothedVariance() const {
  return (0.25 + sum_sq_dev_) / static_cast<double>(n_ + 1);
}

double BettingTest::NextBet() const {
  const double d = SmoothedMean() - null_mean_;
  const double kelly = d / (SmoothedVariance() + d * d);
  return std::clamp(kelly, 0.0, kMaxStake / null_mean_);
}

void BettingTest::Add(double y) {
  if (std::isnan(y)) return;
  y = std::clamp(y, 0.0, 1.0);
  // The stake is fixed before y is seen: that is what makes K_t a supermartingale under H0.
  log_wealth_ += std::log1p(NextBet() * (y - null_mean_));
  ++n_;
  sum_ += y;
  const double dev = y - SmoothedMean();
  sum_sq_dev_ += dev * dev;
  if (log_wealth_ >= std::log(1 / alpha_)) rejected_ = true;
}

std::optional<std::int64_t> BettingTest::MoreNeeded() const {
  if (rejected_) return 0;
  const double d = mean() - null_mean_;
  if (n_ < kMinForEstimate || !(d > 0)) return std::nullopt;
  const double lambda = NextBet();
  const double growth = lambda * d - lambda * lambda * (SmoothedVariance() + d * d) / 2;
  if (!(growth > 0)) return std::nullopt;
  const double needed = std::ceil((std::log(1 / alpha_) - log_wealth_) / growth);
  // Beyond ~10^15 the number means "never at this rate"; keep it representable.
  if (!(needed < 1e15)) return std::nullopt;
  return std::max<std::int64_t>(1, static_cast<std::int64_t>(needed));
}

NonInferiorityTest::NonInferiorityTest(double margin, double confidence)
    : margin_(std::clamp(margin, 0.0, 0.45)),
      not_worse_(0.5 - margin_, 1 - std::clamp(confidence, 0.5, 0.9999)),
      worse_(0.5 + margin_, 1 - std::clamp(confidence, 0.5, 0.9999)) {}

void NonInferiorityTest::Add(double outcome) {
  if (std::isnan(outcome)) return;
  not_worse_.Add(outcome);
  worse_.Add(1 - outcome);
  if (decision_ != Decision::kUndecided) return;
  if (not_worse_.rejected()) {
    decision_ = Decision::kNotWorse;
  } else if (worse_.rejected()) {
    decision_ = Decision::kWorse;
  }
}

}  // namespace switchyard::experiments
