// `cheapest`: the steps in order of expected cost for this request, among those that can take it.
//
// A target fits when, by the catalog's capabilities, its context window holds the estimated prompt
// plus max_tokens, max_tokens is within its output limit (when the catalog gives one), and it has
// tools, vision and JSON-schema output if the request needs them. A capability the catalog does not
// know is not assumed either way: such a target ranks after every target known to fit and before
// those known not to. Targets known not to fit stay last, never dropped — the estimate and the
// catalog can be wrong, and the provider then has the final word.
//
// Within each group: ascending expected cost — the estimated prompt at the input price plus
// max_tokens (or RoutingOptions::default_output_tokens) at the output price, at the prices in force
// at the request's time — then targets without a price; ties keep the written order. A nested
// route counts as its best target.
#include <algorithm>
#include <limits>
#include <optional>

#include "canonical/usage.h"
#include "pricing/cost.h"
#include "routing/strategy_support.h"

namespace switchyard::routing {
namespace {

enum class Fit { kFits = 0, kUnknown = 1, kDoesNotFit = 2 };  // better first

// Folds one requirement into `fit`: `known` is whether the catalog says, `ok` what it says.
void Require(bool known, bool ok, Fit* fit) {
  const Fit one = !known ? Fit::kUnknown : ok ? Fit::kFits : Fit::kDoesNotFit;
  *fit = std::max(*fit, one);
}

Fit FitOf(const pricing::Capabilities* caps, const RequestFeatures& request) {
  if (caps == nullptr) return Fit::kUnknown;
  Fit fit = Fit::kFits;
  const std::int64_t needed = request.input_tokens + request.max_tokens.value_or(0);
  Require(caps->context_window.has_value(),
          caps->context_window.has_value() && needed <= *caps->context_window, &fit);
  if (request.max_tokens && caps->max_output_tokens && *request.max_tokens > *caps->max_output_tokens) {
    fit = Fit::kDoesNotFit;
  }
  auto flag = [&](bool needed_flag, const std::optional<bool>& has) {
    if (needed_flag) Require(has.has_value(), has.value_or(false), &fit);
  };
  flag(request.has_tools, caps->tools);
  flag(request.has_images, caps->vision);
  flag(request.wants_json_schema, caps->json_schema);
  return fit;
}

struct Rank {
  Fit fit = Fit::kUnknown;
  std::optional<pricing::Nanos> cost;  // empty: no price

  bool operator<(const Rank& other) const {
    if (fit != other.fit) return fit < other.fit;
    if (cost.has_value() != other.cost.has_value()) return cost.has_value();
    return cost.value_or(0) < other.cost.value_or(0);
  }
};

Rank RankTarget(const PlannedTarget& target, const RequestFeatures& request,
                const RoutingContext& context) {
  if (context.catalog == nullptr) return {};
  const pricing::PriceCatalog& catalog = *context.catalog;
  const std::string_view provider = internal::CatalogProviderName(catalog, target);
  Rank rank;
  rank.fit = FitOf(catalog.FindCapabilities(provider, target.model), request);
  canonical::Usage usage;
  usage.input_tokens = std::max<std::int64_t>(request.input_tokens, 0);
  usage.output_tokens =
      std::max<std::int64_t>(request.max_tokens.value_or(context.options.default_output_tokens), 0);
  usage.reported = true;
  rank.cost = pricing::PriceAttempt(catalog, provider, target.model, usage, context.request_time);
  return rank;
}

class Cheapest final : public Strategy {
 public:
  std::vector<std::size_t> Order(const Plan& plan, const RequestFeatures& features,
                                 RoutingContext& context) const override {
    std::vector<Rank> ranks;
    ranks.reserve(plan.steps.size());
    for (const PlanStep& step : plan.steps) {
      std::optional<Rank> best;
      for (const PlannedTarget* target : internal::StepLeaves(step)) {
        Rank rank = RankTarget(*target, features, context);
        if (!best || rank < *best) best = rank;
      }
      ranks.push_back(best.value_or(Rank{}));
    }
    std::vector<std::size_t> order = internal::WrittenOrder(plan);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return ranks[a] < ranks[b]; });
    return order;
  }
};

}  // namespace

const Strategy& CheapestStrategy() {
  static const Cheapest strategy;
  return strategy;
}

}  // namespace switchyard::routing
