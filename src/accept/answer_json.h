// The answer's text as JSON, for the json and json_schema checks: parsed as the client's own
// JSON.parse would take it (whitespace around the value allowed; a ```json fence is not, since
// the client receives the text unchanged), with the nesting bounded.
#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <string_view>
#include <variant>

namespace switchyard::accept {

// The deepest nesting of an answer's JSON the checks parse; deeper fails the check.
inline constexpr int kMaxAnswerJsonDepth = 64;

// The parsed value, or why the text is not JSON ("not valid JSON (at offset 12)").
std::variant<boost::json::value, std::string> ParseAnswerJson(std::string_view text);

}  // namespace switchyard::accept
