#include "gateway/experiment_registry.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <cmath>

namespace switchyard::gateway {
namespace {

constexpr std::int64_t kMsPerDay = 86'400'000;

std::int64_t EpochMs(std::chrono::system_clock::time_point time) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

// A share as JSON: a whole number as an integer (50, not 5E1), else a double.
boost::json::value ShareValue(double share) {
  if (share == std::floor(share) && share >= 0 && share < 9e15) {
    return static_cast<std::int64_t>(share);
  }
  return share;
}

std::string SharesJson(const config::ExperimentConfig& experiment,
                       const std::vector<double>& shares) {
  boost::json::object out;
  for (std::size_t i = 0; i < experiment.variants.size() && i < shares.size(); ++i) {
    out[experiment.variants[i].name] = ShareValue(shares[i]);
  }
  return boost::json::serialize(out);
}

std::string VariantsJson(const config::ExperimentConfig& experiment) {
  boost::json::array out;
  for (const config::ExperimentVariant& variant : experiment.variants) {
    out.push_back(boost::json::object{
        {"name", variant.name}, {"target", variant.target}, {"share", ShareValue(variant.share)}});
  }
  return boost::json::serialize(out);
}

// The stored {"NAME": share} in the config's order; nullopt when it is not such an object (a
// variant it does not name gets 0).
std::optional<std::vector<double>> ParseShares(const config::ExperimentConfig& experiment,
                                               std::string_view json) {
  boost::system::error_code error;
  boost::json::value value = boost::json::parse(json, error);
  if (error || !value.is_object()) return std::nullopt;
  std::vector<double> shares;
  for (const config::ExperimentVariant& variant : experiment.variants) {
    const boost::json::value* share = value.as_object().if_contains(variant.name);
    double number = 0;
    if (share != nullptr && share->is_number()) number = share->to_number<double>();
    shares.push_back(number >= 0 ? number : 0);
  }
  return shares;
}

// The variant a stored promotion chose ("to"); empty when there is none or it names no variant.
std::string PromotedVariant(const config::ExperimentConfig& experiment, std::string_view json) {
  if (json.empty()) return {};
  boost::system::error_code error;
  boost::json::value value = boost::json::parse(json, error);
  if (error || !value.is_object()) return {};
  const boost::json::value* to = value.as_object().if_contains("to");
  if (to == nullptr || !to->is_string()) return {};
  for (const config::ExperimentVariant& variant : experiment.variants) {
    if (variant.name == to->as_string()) return variant.name;
  }
  return {};
}

// The experiment's state as the store keeps it.
ledger::StoredExperiment RowOf(const LiveExperiment& live) {
  ledger::StoredExperiment row;
  row.route = live.route->name;
  row.epoch = live.epoch;
  row.variants_json = VariantsJson(live.experiment());
  row.status = live.status;
  row.shares_json = SharesJson(live.experiment(), live.shares);
  row.promotion_json = live.promotion_json;
  row.started_ms = live.started_ms;
  row.updated_ms = live.updated_ms;
  return row;
}

std::vector<double> AllTo(const config::ExperimentConfig& experiment, std::string_view variant) {
  std::vector<double> shares(experiment.variants.size(), 0);
  for (std::size_t i = 0; i < shares.size(); ++i) {
    if (experiment.variants[i].name == variant) shares[i] = 1;
  }
  if (variant.empty() && !shares.empty()) shares.front() = 1;  // the control
  return shares;
}

}  // namespace

ExperimentRegistry::ExperimentRegistry(const config::Config& config, ledger::ExperimentStore* store,
                                       WallClock now)
    : config_(config), store_(store), now_(std::move(now)) {
  for (const config::RouteConfig& route : config_.routes) {
    if (route.experiment) Publish(std::make_shared<LiveExperiment>(Configured(route)));
  }
}

ExperimentRegistry::~ExperimentRegistry() {
  {
    std::lock_guard lock(stop_mutex_);
    stop_ = true;
  }
  stop_wake_.notify_all();
  if (refresher_.joinable()) refresher_.join();
}

LiveExperiment ExperimentRegistry::Configured(const config::RouteConfig& route) const {
  LiveExperiment live;
  live.route = &route;
  live.epoch = route.experiment->epoch;
  for (const config::ExperimentVariant& variant : route.experiment->variants) {
    live.shares.push_back(variant.share);
  }
  live.sample = route.experiment->judge ? route.experiment->judge->sample : 0;
  live.started_ms = EpochMs(now_());
  live.updated_ms = live.started_ms;
  return live;
}

std::shared_ptr<const LiveExperiment> ExperimentRegistry::FromStored(
    const config::RouteConfig& route, const ledger::StoredExperiment& stored) const {
  const config::ExperimentConfig& experiment = *route.experiment;
  auto live = std::make_shared<LiveExperiment>(Configured(route));
  live->status = stored.status;
  live->started_ms = stored.started_ms;
  live->updated_ms = stored.updated_ms;
  live->promotion_json = stored.promotion_json;
  live->promoted_to = PromotedVariant(experiment, stored.promotion_json);
  if (auto shares = ParseShares(experiment, stored.shares_json)) live->shares = std::move(*shares);
  if (!live->promoted_to.empty()) live->sample = experiment.promote.keep_sample;
  if (live->status == "stopped") live->shares = AllTo(experiment, live->promoted_to);
  if (!experiment.judge) live->sample = 0;
  return live;
}

void ExperimentRegistry::Publish(std::shared_ptr<const LiveExperiment> experiment) {
  std::lock_guard lock(mutex_);
  live_[experiment->route->name] = std::move(experiment);
}

std::int64_t ExperimentRegistry::Today() const { return EpochMs(now_()) / kMsPerDay; }

Status ExperimentRegistry::Load() {
  if (store_ == nullptr) return Status();
  for (const config::RouteConfig& route : config_.routes) {
    if (!route.experiment) continue;
    if (Status loaded = RefreshOne(route); !loaded.ok()) return loaded;
  }
  return Status();
}

// Registers the epoch when it is new, reads its state and today's judging spend.
Status ExperimentRegistry::RefreshOne(const config::RouteConfig& route) {
  auto stored = store_->Ensure(RowOf(Configured(route)));
  if (!stored) {
    return Error::Unavailable(
        fmt::format("experiment '{}': {}", route.name, stored.error().message));
  }
  const std::int64_t today = Today();
  auto spent = store_->JudgingSpendSince(route.name, today * kMsPerDay);
  if (!spent) {
    return Error::Unavailable(
        fmt::format("experiment '{}': {}", route.name, spent.error().message));
  }
  Publish(FromStored(route, *stored));
  std::lock_guard lock(mutex_);
  Spend& spend = spend_[route.name];
  // Ours since the last refresh may not be written yet: keep the larger of the two.
  spend.nanos = spend.day == today ? std::max(spend.nanos, *spent) : *spent;
  spend.day = today;
  return Status();
}

void ExperimentRegistry::StartRefreshing(std::chrono::milliseconds every) {
  if (store_ == nullptr || refresher_.joinable()) return;
  refresher_ = std::thread([this, every] { RefreshLoop(every); });
}

void ExperimentRegistry::RefreshLoop(std::chrono::milliseconds every) {
  std::unique_lock stop_lock(stop_mutex_);
  while (!stop_wake_.wait_for(stop_lock, every, [this] { return stop_; })) {
    stop_lock.unlock();
    for (const config::RouteConfig& route : config_.routes) {
      if (!route.experiment) continue;
      if (Status refreshed = RefreshOne(route); !refreshed.ok()) {
        spdlog::warn("{}", refreshed.error().message);
        continue;
      }
      PromoteIfDue(route);
    }
    stop_lock.lock();
  }
}

void ExperimentRegistry::PromoteIfDue(const config::RouteConfig& route) {
  if (!route.experiment->promote.enabled) return;
  std::shared_ptr<const LiveExperiment> live = Find(route.name);
  PromotionCheck check;
  {
    std::lock_guard lock(mutex_);
    check = promotion_check_;
  }
  if (!live || !check || !live->promoted_to.empty() || live->status == "stopped") return;
  std::optional<std::pair<std::string, std::string>> due = check(*live);
  if (!due) return;
  auto promoted = Promote(route.name, due->first, std::move(due->second));
  if (!promoted) {
    spdlog::warn("experiment '{}': the promotion to '{}' was not stored: {}", route.name,
                 due->first, promoted.error().message);
    return;
  }
  spdlog::info("experiment '{}': promoted variant '{}'", route.name, due->first);
}

std::shared_ptr<const LiveExperiment> ExperimentRegistry::Find(std::string_view route) const {
  std::lock_guard lock(mutex_);
  auto it = live_.find(route);
  return it != live_.end() ? it->second : nullptr;
}

std::vector<std::shared_ptr<const LiveExperiment>> ExperimentRegistry::All() const {
  std::vector<std::shared_ptr<const LiveExperiment>> all;
  for (const config::RouteConfig& route : config_.routes) {
    if (auto live = route.experiment ? Find(route.name) : nullptr) all.push_back(std::move(live));
  }
  return all;
}

Result<std::shared_ptr<const LiveExperiment>> ExperimentRegistry::Store(
    const LiveExperiment& next) {
  const config::RouteConfig& route = *next.route;
  if (store_ != nullptr) {
    if (Status updated = store_->Update(RowOf(next)); !updated.ok()) return updated.error();
    auto stored = store_->Find(route.name, next.epoch);
    if (!stored) return std::move(stored).error();
    if (*stored) {
      std::shared_ptr<const LiveExperiment> live = FromStored(route, **stored);
      Publish(live);
      return live;
    }
  }
  auto live = std::make_shared<const LiveExperiment>(next);
  Publish(live);
  return live;
}

Result<std::shared_ptr<const LiveExperiment>> ExperimentRegistry::Change(std::string_view route,
                                                                         std::string_view action) {
  std::shared_ptr<const LiveExperiment> live = Find(route);
  if (!live) {
    return Error::NotFound(
        fmt::format("'{}' is not an ab route of the config", std::string(route).substr(0, 200)));
  }
  LiveExperiment next = *live;
  next.updated_ms = EpochMs(now_());
  if (action == "pause") {
    next.status = "paused";
  } else if (action == "resume") {
    next.status = "running";
    if (live->status == "stopped") {  // the shares a stop overrode
      next.shares = next.promoted_to.empty() ? Configured(*live->route).shares
                                             : AllTo(live->experiment(), next.promoted_to);
    }
  } else if (action == "stop") {
    next.status = "stopped";
  } else {
    return Error::InvalidRequest(
        fmt::format("'{}' is not an action of an experiment (pause, "
                    "resume or stop)",
                    std::string(action).substr(0, 40)));
  }
  return Store(next);
}

Result<std::shared_ptr<const LiveExperiment>> ExperimentRegistry::Promote(
    std::string_view route, std::string_view variant, std::string promotion_json) {
  std::shared_ptr<const LiveExperiment> live = Find(route);
  if (!live) {
    return Error::NotFound(
        fmt::format("'{}' is not an ab route of the config", std::string(route).substr(0, 200)));
  }
  LiveExperiment next = *live;
  next.shares = AllTo(live->experiment(), variant);
  next.promotion_json = std::move(promotion_json);
  next.promoted_to = std::string(variant);
  next.updated_ms = EpochMs(now_());
  return Store(next);
}

bool ExperimentRegistry::BeginJudging(std::string_view route) {
  std::shared_ptr<const LiveExperiment> live = Find(route);
  if (!live || !live->judging()) return false;
  const std::optional<std::int64_t>& cap = live->experiment().judge->max_nanos_per_day;
  const std::int64_t today = Today();
  std::lock_guard lock(mutex_);
  Spend& spend = spend_[live->route->name];
  if (spend.day != today) {  // a new UTC day: the cap starts again
    spend.day = today;
    spend.nanos = 0;
  }
  if ((cap && spend.nanos >= *cap) || spend.in_flight >= kMaxJudgingInFlight) {
    ++spend.skipped;
    return false;
  }
  ++spend.in_flight;
  return true;
}

void ExperimentRegistry::FinishJudging(std::string_view route,
                                       std::optional<std::int64_t> cost_nanos) {
  std::lock_guard lock(mutex_);
  auto it = spend_.find(route);
  if (it == spend_.end()) return;
  it->second.in_flight = std::max(0, it->second.in_flight - 1);
  if (cost_nanos) it->second.nanos += *cost_nanos;
}

std::int64_t ExperimentRegistry::judgements_skipped(std::string_view route) const {
  std::lock_guard lock(mutex_);
  auto it = spend_.find(route);
  return it != spend_.end() ? it->second.skipped : 0;
}

std::int64_t ExperimentRegistry::spent_today_nanos(std::string_view route) const {
  std::lock_guard lock(mutex_);
  auto it = spend_.find(route);
  return it != spend_.end() && it->second.day == Today() ? it->second.nanos : 0;
}

void ExperimentRegistry::set_promotion_check(PromotionCheck check) {
  std::lock_guard lock(mutex_);
  promotion_check_ = std::move(check);
}

}  // namespace switchyard::gateway
