// Which models and routes a key may reach (its `models:`; CONTRACT.md "Governance"). A pattern is
// "provider/model" (exact), "provider/*" (every model of that provider), a route's name, or "*".
// A call is allowed when the name it asked for matches, or when every target its plan may reach
// does (so `openai/*` allows a route whose targets are all OpenAI's). No patterns: everything.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace switchyard::governance {

bool PatternMatches(std::string_view pattern, std::string_view name);
bool AnyMatches(std::span<const std::string> patterns, std::string_view name);

// `requested`: the model or route as the call named it; `targets`: every "provider/model" the
// plan may reach.
bool ModelAllowed(std::span<const std::string> patterns, std::string_view requested,
                  std::span<const std::string> targets);

}  // namespace switchyard::governance
