// Inline routes: a route object sent by a client in the `x-switchyard-route` header (CONTRACT.md,
// "Route shapes"), read by the same rules as a route under `routes:` in the config — the same keys,
// strategies, targets, retry, sticky and conditional rules — and checked against the configured
// providers and routes (a target may name a configured route), and held to the config's route
// limits (at most RouteLimits::max_inline_targets targets, nesting at most max_depth deep through
// the configured routes it names): a client must not fan one call out without bound. The text is
// JSON (any YAML flow map is accepted too: yaml-cpp reads both); `${VAR}` is not interpolated,
// since a client wrote it.
#pragma once

#include <string_view>

#include "config/config.h"
#include "core/result.h"

namespace switchyard::config {

inline constexpr std::string_view kInlineRouteHeader = "x-switchyard-route";
// The name an inline route gets: what the ledger, the access log and the x-switchyard-route
// response header record for calls routed by one.
inline constexpr std::string_view kInlineRouteName = "inline";

// The route that `text` describes. Errors: kInvalidRequest (param "x-switchyard-route") whose
// message starts with the header's name and lists every problem found, e.g. "x-switchyard-route:
// target 'nope/m' of route 'inline' names provider 'nope', which is not configured under providers".
Result<RouteConfig> ParseInlineRoute(std::string_view text, const Config& config);

}  // namespace switchyard::config
