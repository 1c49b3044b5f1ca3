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

// The usage of a response body or stream chunk: its top-level "usage" object (a nested one, such as
// Groq's x_groq.usage, does not count). `reported` is false when there is none, it is null or it is
// not valid JSON. The body is skimmed, not validated (json/object_skim.h): the client parses it.
canonical::Usage TopLevelUsage(std::string_view body);

// The usage object's own text (`{...}`), parsed; `reported` is false when it is not an object.
canonical::Usage UsageFromText(std::string_view usage_json);

// A JSON number or integer-valued field as int64; 0 when absent, null or not a number.
std::int64_t IntField(const boost::json::value& object, std::string_view key);

}  // namespace switchyard::providers::openai_compat
