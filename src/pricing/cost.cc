#include "pricing/cost.h"

#include <algorithm>

namespace switchyard::pricing {
namespace {

// Adds one class; a class with no tokens needs no price (an unknown cache price must not make a
// call without cache traffic unpriceable).
bool AddClass(CostSum& sum, std::int64_t tokens, const std::optional<Nanos>& price) {
  if (tokens == 0) return true;
  if (!price) return false;
  return sum.Add(tokens, *price);
}

}  // namespace

std::optional<Nanos> PriceAttempt(const ModelPrice& price, const canonical::Usage& usage) {
  if (usage.implausible != nullptr) return std::nullopt;  // not billed as if it were exact
  if (usage.input_tokens < 0 || usage.cached_input_tokens < 0 || usage.cache_write_tokens < 0 ||
      usage.cache_write_1h_tokens < 0 || usage.output_tokens < 0 || usage.reasoning_tokens < 0) {
    return std::nullopt;
  }
  // prompt_total() of four clamped (non-negative, <= 2^31) counts cannot overflow; the adapters
  // clamp absurd counts before usage reaches here.
  const PriceSet& prices = price.ForPrompt(usage.prompt_total());
  std::int64_t reasoning = std::min(usage.reasoning_tokens, usage.output_tokens);
  std::int64_t other_output = usage.output_tokens - reasoning;
  CostSum sum;
  bool known = AddClass(sum, usage.input_tokens, prices.input) &&
               AddClass(sum, usage.cached_input_tokens, prices.cached_input) &&
               AddClass(sum, usage.cache_write_tokens, prices.cache_write_5m) &&
               AddClass(sum, usage.cache_write_1h_tokens, prices.cache_write_1h) &&
               AddClass(sum, other_output, prices.output) &&
               AddClass(sum, reasoning, prices.reasoning);
  if (!known) return std::nullopt;
  return sum.Total();
}

std::optional<Nanos> PriceAttempt(const PriceCatalog& catalog, std::string_view provider,
                                  std::string_view model, const canonical::Usage& usage,
                                  std::chrono::system_clock::time_point at) {
  const ModelPrice* price = catalog.Find(provider, model, at);
  if (price == nullptr) return std::nullopt;
  return PriceAttempt(*price, usage);
}

}  // namespace switchyard::pricing
