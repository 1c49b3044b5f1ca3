#include "config/params_json.h"

#include <fmt/format.h>

#include <boost/json.hpp>
#include <cmath>
#include <cstdlib>

#include "config/size_parse.h"
#include "config/yaml_reader.h"

namespace switchyard::config {
namespace {

constexpr int kMaxDepth = 64;  // params are a few flat fields; this only stops runaway input

bool IsAnyOf(const std::string& text, std::initializer_list<std::string_view> words) {
  return std::find(words.begin(), words.end(), text) != words.end();
}

std::string Quote(std::string_view text) {
  return boost::json::serialize(boost::json::string_view(text.data(), text.size()));
}

// A YAML float in JSON's own spelling: shortest text that reads back the same number.
std::optional<std::string> FloatJson(const std::string& text) {
  if (text.find_first_not_of("0123456789+-.eE") != std::string::npos) return std::nullopt;
  if (text.find_first_of("0123456789") == std::string::npos) return std::nullopt;
  char* end = nullptr;
  double value = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || !std::isfinite(value)) return std::nullopt;
  return fmt::format("{}", value);
}

// YAML 1.2 core schema, for plain (untagged, unquoted) scalars only.
std::optional<std::string> ScalarJson(const YAML::Node& node, int* bad_line) {
  const std::string& text = node.Scalar();
  if (node.Tag() != "?") return Quote(text);  // quoted ("!") or explicitly tagged
  if (IsAnyOf(text, {"", "~", "null", "Null", "NULL"})) return "null";
  if (IsAnyOf(text, {"true", "True", "TRUE"})) return "true";
  if (IsAnyOf(text, {"false", "False", "FALSE"})) return "false";
  if (std::optional<std::int64_t> integer = ParseInteger(text)) return fmt::format("{}", *integer);
  if (IsAnyOf(text, {".inf", ".Inf", ".INF", "-.inf", "-.Inf", "-.INF", "+.inf", ".nan", ".NaN",
                     ".NAN"})) {
    *bad_line = LineOf(node);
    return std::nullopt;
  }
  if (std::optional<std::string> number = FloatJson(text)) return number;
  return Quote(text);
}

std::optional<std::string> ToJson(const YAML::Node& node, int* bad_line, int depth) {
  if (depth > kMaxDepth) {
    *bad_line = LineOf(node);
    return std::nullopt;
  }
  if (node.IsNull()) return "null";
  if (node.IsScalar()) return ScalarJson(node, bad_line);
  bool is_map = node.IsMap();
  std::string out = is_map ? "{" : "[";
  bool first = true;
  for (auto item : node) {
    if (!first) out += ',';
    first = false;
    if (is_map) {
      out += Quote(item.first.IsScalar() ? item.first.Scalar() : std::string());
      out += ':';
    }
    std::optional<std::string> value =
        ToJson(is_map ? item.second : YAML::Node(item), bad_line, depth + 1);
    if (!value) return std::nullopt;
    out += *value;
  }
  out += is_map ? "}" : "]";
  return out;
}

}  // namespace

std::optional<std::string> YamlToCompactJson(const YAML::Node& node, int* bad_line) {
  return ToJson(node, bad_line, 0);
}

}  // namespace switchyard::config
