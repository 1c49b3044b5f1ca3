#include "canonical/json_values.h"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <cmath>

#include "core/strings.h"
#include "json/object_scan.h"

namespace switchyard::canonical {
namespace json = boost::json;
using ::switchyard::json::kMaxJsonDepth;

namespace {
constexpr std::int64_t kMaxCount = std::int64_t{1} << 40;
}  // namespace

std::string StringField(const json::object& object, std::string_view key) {
  const json::value* v = object.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::int64_t CountField(const json::object& object, std::string_view key) {
  const json::value* v = object.if_contains(key);
  if (v == nullptr) return 0;
  if (v->is_int64()) return std::clamp<std::int64_t>(v->get_int64(), 0, kMaxCount);
  if (v->is_uint64()) {
    return static_cast<std::int64_t>(std::min<std::uint64_t>(v->get_uint64(), kMaxCount));
  }
  if (v->is_double()) {
    const double d = v->get_double();
    if (!(d > 0)) return 0;  // also NaN
    return d >= static_cast<double>(kMaxCount) ? kMaxCount : static_cast<std::int64_t>(d);
  }
  return 0;
}

std::int64_t TokenCountField(const json::object& object, std::string_view key, Usage& usage) {
  const json::value* v = object.if_contains(key);
  if (v == nullptr || !v->is_number()) return 0;
  const char* why = nullptr;
  std::int64_t count = 0;
  if (v->is_int64()) {
    count = v->get_int64();
    if (count < 0) why = "a negative token count";
  } else if (v->is_uint64()) {
    why = "a token count above 2^31";
    count = kMaxPlausibleTokens;
  } else {
    const double d = v->get_double();
    if (!(d >= 0)) {
      why = "a negative token count";  // also NaN
    } else if (d > static_cast<double>(kMaxPlausibleTokens)) {
      why = "a token count above 2^31";
      count = kMaxPlausibleTokens;
    } else {
      count = static_cast<std::int64_t>(d);
      if (static_cast<double>(count) != d) why = "a fractional token count";
    }
  }
  if (count > kMaxPlausibleTokens) why = "a token count above 2^31";
  if (why != nullptr && usage.implausible == nullptr) usage.implausible = why;
  return std::clamp<std::int64_t>(count, 0, kMaxPlausibleTokens);
}

bool HasNumber(const json::object& object, std::string_view key) {
  const json::value* v = object.if_contains(key);
  return v != nullptr && v->is_number();
}

const json::object* ObjectField(const json::object& object, std::string_view key) {
  const json::value* v = object.if_contains(key);
  return v != nullptr ? v->if_object() : nullptr;
}

json::value NumberValue(double d) {
  if (std::isfinite(d) && std::trunc(d) == d && std::fabs(d) < 9.0e15) {
    return json::value(static_cast<std::int64_t>(d));
  }
  return json::value(d);
}

std::optional<json::object> ParseObject(std::string_view text) {
  boost::system::error_code ec;
  json::parse_options options;
  options.max_depth = kMaxJsonDepth;
  json::value v = json::parse(text, ec, {}, options);
  if (ec || !v.is_object()) return std::nullopt;
  return std::move(v.get_object());
}

std::optional<json::object> ParseArguments(std::string_view arguments_json) {
  if (TrimWhitespace(arguments_json).empty()) return json::object();
  return ParseObject(arguments_json);
}

}  // namespace switchyard::canonical
