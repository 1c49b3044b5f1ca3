// Reading OpenAI-format usage into canonical classes. OpenAI counts cached prompt tokens inside
// prompt_tokens and reasoning inside completion_tokens; the canonical classes are disjoint, so cached
// (and cache-write) tokens are taken out of the input here, once.
#pragma once

#include <boost/json/value.hpp>
#include <optional>
#include <string_view>

#include "canonical/usage.h"
#include "json/object_scan.h"

namespace switchyard::providers::openai_compat {

canonical::Usage UsageFromJson(const boost::json::value& usage);

// The usage of a response body or stream chunk: its top-level "usage" object (a nested one, such as
// Groq's x_groq.usage, does not count). `reported` is false when there is none or it is null.
// `scan` is the body's top-level scan.
canonical::Usage TopLevelUsage(std::string_view body, const json::ObjectScan& scan);

// A JSON number or integer-valued field as int64; 0 when absent, null or not a number.
std::int64_t IntField(const boost::json::value& object, std::string_view key);

}  // namespace switchyard::providers::openai_compat
