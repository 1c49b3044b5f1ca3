// Small JSON helpers shared by the codecs and adapters: lenient reads of provider answers (a wrong
// type reads as "absent", never as an error) and number output that keeps integers integral.
// Pure functions; results own their bytes; safe from any thread.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "canonical/usage.h"

namespace switchyard::canonical {

// A string member, or "" when absent or not a string.
std::string StringField(const boost::json::object& object, std::string_view key);

// A token count member: clamped into [0, 2^40] so that no provider value can overflow a sum; 0
// when absent, null or not a number.
std::int64_t CountField(const boost::json::object& object, std::string_view key);

// A token count member of a provider's usage, clamped into [0, kMaxPlausibleTokens]; 0 when
// absent, null or not a number. A negative, fractional or larger count sets usage.implausible.
std::int64_t TokenCountField(const boost::json::object& object, std::string_view key,
                             Usage& usage);

// True when the member is present and a number (a count of 0 and an absent count differ).
bool HasNumber(const boost::json::object& object, std::string_view key);

// An object member, or nullptr.
const boost::json::object* ObjectField(const boost::json::object& object, std::string_view key);

// `d` as a JSON number: an integer when it is integral (so 1.0 is written "1", not "1E0").
boost::json::value NumberValue(double d);

// Parses `text` as a JSON object; nullopt when it is not one.
std::optional<boost::json::object> ParseObject(std::string_view text);

// Parses a tool call's arguments text into the object Anthropic and Gemini want: "" → {}; text
// that is not a JSON object → nullopt.
std::optional<boost::json::object> ParseArguments(std::string_view arguments_json);

}  // namespace switchyard::canonical
