// Reading OpenAI-format usage into canonical classes. OpenAI counts cached prompt tokens inside
// prompt_tokens and reasoning inside completion_tokens; the canonical classes are disjoint, so cached
// (and cache-write) tokens are taken out of the input here, once.
#pragma once

#include <boost/json/value.hpp>
#include <optional>
#include <string_view>

#include "canonical/usage.h"

namespace switchyard::providers::openai_compat {

canonical::Usage UsageFromJson(const boost::json::value& usage);

// Finds the top-level "usage" object of a response body without parsing the whole body (it is near
// the end of OpenAI responses); returns its JSON text, or nullopt when there is none.
std::optional<std::string_view> FindUsageObject(std::string_view body);

// A JSON number or integer-valued field as int64; 0 when absent, null or not a number.
std::int64_t IntField(const boost::json::value& object, std::string_view key);

}  // namespace switchyard::providers::openai_compat
