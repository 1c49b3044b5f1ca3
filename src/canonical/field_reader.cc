#include "canonical/field_reader.h"

#include <boost/json/parse.hpp>
#include <cmath>
#include <fmt/format.h>

#include "json/object_scan.h"

namespace switchyard::canonical {
namespace json = boost::json;
using ::switchyard::json::kMaxJsonDepth;

namespace {

// Integers beyond this are not token counts or sizes any API takes; refusing them keeps every
// later sum far from overflow.
constexpr std::int64_t kMaxInt = std::int64_t{1} << 53;

std::optional<std::int64_t> AsInt(const json::value& v) {
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64()) {
    if (v.get_uint64() > static_cast<std::uint64_t>(kMaxInt)) return std::nullopt;
    return static_cast<std::int64_t>(v.get_uint64());
  }
  if (v.is_double()) {
    const double d = v.get_double();
    if (!std::isfinite(d) || std::trunc(d) != d || std::fabs(d) > static_cast<double>(kMaxInt)) {
      return std::nullopt;
    }
    return static_cast<std::int64_t>(d);
  }
  return std::nullopt;
}

}  // namespace

FieldReader::FieldReader(const json::object& object, std::string path)
    : object_(object), path_(std::move(path)) {}

const json::value* FieldReader::Find(std::string_view key) const {
  const json::value* v = object_.if_contains(key);
  return v == nullptr || v->is_null() ? nullptr : v;
}

std::string FieldReader::PathOf(std::string_view key) const {
  if (key.empty()) return path_;
  if (path_.empty()) return std::string(key);
  return fmt::format("{}.{}", path_, key);
}

void FieldReader::Fail(std::string_view key, std::string_view problem) {
  if (error_) return;
  const std::string param = PathOf(key);
  error_ = Error::InvalidRequest(
      param.empty() ? std::string(problem) : fmt::format("{}: {}", param, problem), param);
}

bool FieldReader::Require(std::string_view key) {
  if (Find(key) != nullptr) return true;
  Fail(key, "is required");
  return false;
}

const json::value* FieldReader::Typed(std::string_view key, bool type_ok,
                                      std::string_view expected) {
  if (error_) return nullptr;
  const json::value* v = Find(key);
  if (v == nullptr) return nullptr;
  if (!type_ok) {
    Fail(key, fmt::format("expected {}", expected));
    return nullptr;
  }
  return v;
}

std::optional<std::string> FieldReader::String(std::string_view key) {
  const json::value* raw = Find(key);
  const json::value* v = Typed(key, raw != nullptr && raw->is_string(), "a string");
  if (v == nullptr) return std::nullopt;
  return std::string(v->get_string());
}

std::optional<double> FieldReader::Number(std::string_view key) {
  const json::value* raw = Find(key);
  const json::value* v = Typed(key, raw != nullptr && raw->is_number(), "a number");
  if (v == nullptr) return std::nullopt;
  return v->to_number<double>();
}

std::optional<std::int64_t> FieldReader::Int(std::string_view key) {
  const json::value* raw = Find(key);
  const bool integral = raw != nullptr && AsInt(*raw).has_value();
  const json::value* v = Typed(key, integral, "an integer");
  if (v == nullptr) return std::nullopt;
  return AsInt(*v);
}

std::optional<bool> FieldReader::Bool(std::string_view key) {
  const json::value* raw = Find(key);
  const json::value* v = Typed(key, raw != nullptr && raw->is_bool(), "a boolean");
  if (v == nullptr) return std::nullopt;
  return v->get_bool();
}

const json::object* FieldReader::Object(std::string_view key) {
  const json::value* raw = Find(key);
  const json::value* v = Typed(key, raw != nullptr && raw->is_object(), "an object");
  return v == nullptr ? nullptr : &v->get_object();
}

const json::array* FieldReader::Array(std::string_view key) {
  const json::value* raw = Find(key);
  const json::value* v = Typed(key, raw != nullptr && raw->is_array(), "an array");
  return v == nullptr ? nullptr : &v->get_array();
}

std::string IndexPath(std::string_view path, std::size_t index) {
  return fmt::format("{}[{}]", path, index);
}

Result<json::object> ParseRequestObject(std::string_view body) {
  boost::system::error_code ec;
  json::parse_options options;
  options.max_depth = kMaxJsonDepth;  // tool schemas nest; match the body scanner's limit
  json::value root = json::parse(body, ec, {}, options);
  if (ec) return Error::InvalidRequest("request body is not valid JSON: " + ec.message());
  if (!root.is_object()) return Error::InvalidRequest("request body must be a JSON object");
  return std::move(root.get_object());
}

}  // namespace switchyard::canonical
