// Pricing one attempt: its usage (canonical, disjoint token classes) at the prices in force,
// rounded once to whole nano-dollars (DESIGN.md "Money"). Every attempt is priced the same way —
// successful, failed, retried, fallen back, raced or cancelled — from the tokens the provider
// reported (or the estimate for a stream cut short; marking it estimated is the caller's job).
//
// Classes (canonical/usage.h): input excludes cache reads and writes; cached_input = cache reads;
// cache_write = 5-minute writes; cache_write_1h = 1-hour writes; output includes reasoning, so the
// reasoning part is priced at the reasoning price and only the rest of output at the output price.
// The long-context tier is chosen by Usage::prompt_total(). A class with tokens but no known price
// makes the whole cost unknown (std::nullopt), never 0; a class with 0 tokens needs no price.
//
// Pure functions: safe from any thread.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include "canonical/usage.h"
#include "pricing/money.h"
#include "pricing/price_catalog.h"

namespace switchyard::pricing {

// The attempt's cost at `price`, or std::nullopt when a class with tokens has no price, a count is
// negative, the usage is implausible (Usage::implausible: the provider's counts cannot be right,
// so the cost is unknown rather than a made-up figure), or the result is beyond int64. Whether absent usage (Usage::reported == false) means
// zero cost or unknown is the caller's decision: this prices the counts it is given. Reasoning
// tokens beyond output_tokens (a contract violation) are priced as reasoning up to output_tokens.
std::optional<Nanos> PriceAttempt(const ModelPrice& price, const canonical::Usage& usage);

// Looks up (provider, model) in force at `at` (the request's time, UTC) and prices `usage`; empty
// when the model, its price at that time, or a needed class price is unknown.
std::optional<Nanos> PriceAttempt(const PriceCatalog& catalog, std::string_view provider,
                                  std::string_view model, const canonical::Usage& usage,
                                  std::chrono::system_clock::time_point at);

}  // namespace switchyard::pricing
