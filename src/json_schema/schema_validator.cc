// Schema::Validate: walks the instance and the node graph together. Every bound of schema.h is
// held here: the instance's depth is measured first (without recursion), the recursion depth and
// the number of steps are counted, so no input makes validation recurse or run without end.
#include <fmt/format.h>

#include <cmath>
#include <vector>

#include "json_schema/json_equality.h"
#include "json_schema/json_pointer.h"
#include "json_schema/schema.h"
#include "json_schema/schema_node.h"

namespace switchyard::json_schema {
namespace json = boost::json;
namespace {

// A reason quotes at most this much of the instance's pointer (its keys are the answer's bytes).
constexpr std::size_t kMaxPointerBytes = 100;

int InstanceDepth(const json::value& value, int limit) {
  std::vector<std::pair<const json::value*, int>> stack = {{&value, 1}};
  while (!stack.empty()) {
    auto [v, depth] = stack.back();
    stack.pop_back();
    if (depth > limit) return depth;
    if (const json::object* o = v->if_object()) {
      for (const auto& member : *o) stack.push_back({&member.value(), depth + 1});
    } else if (const json::array* a = v->if_array()) {
      for (const json::value& item : *a) stack.push_back({&item, depth + 1});
    }
  }
  return 0;
}

double AsDouble(const json::value& v) {
  if (v.is_int64()) return static_cast<double>(v.get_int64());
  if (v.is_uint64()) return static_cast<double>(v.get_uint64());
  return v.get_double();
}

bool IsInteger(const json::value& v) {
  return v.is_int64() || v.is_uint64() || (v.is_double() && std::isfinite(v.get_double()) &&
                                           std::floor(v.get_double()) == v.get_double());
}

std::uint8_t TypeOf(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null: return kNull;
    case json::kind::bool_: return kBoolean;
    case json::kind::object: return kObject;
    case json::kind::array: return kArray;
    case json::kind::string: return kString;
    default: return IsInteger(v) ? kNumber | kInteger : kNumber;
  }
}

std::string TypeNames(std::uint8_t types) {
  static constexpr std::pair<std::uint8_t, std::string_view> kNames[] = {
      {kObject, "object"}, {kArray, "array"},     {kString, "string"}, {kInteger, "integer"},
      {kNumber, "number"}, {kBoolean, "boolean"}, {kNull, "null"}};
  std::string out;
  for (const auto& [bit, name] : kNames) {
    if ((types & bit) == 0) continue;
    if (!out.empty()) out += " or ";
    out += name;
  }
  return out;
}

std::uint64_t CodePoints(std::string_view text) {
  std::uint64_t count = 0;
  for (char c : text) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return count;
}

bool MultipleOf(const json::value& v, double divisor) {
  if ((v.is_int64() || v.is_uint64()) && std::floor(divisor) == divisor && divisor < 9e18) {
    const auto d = static_cast<std::uint64_t>(divisor);
    const std::uint64_t magnitude =
        v.is_uint64() ? v.get_uint64()
                      : (v.get_int64() < 0 ? 0 - static_cast<std::uint64_t>(v.get_int64())
                                           : static_cast<std::uint64_t>(v.get_int64()));
    return magnitude % d == 0;
  }
  const double quotient = AsDouble(v) / divisor;
  if (!std::isfinite(quotient)) return false;
  // 0.3 / 0.1 is 2.9999999999999996 in binary floating point: allow for that rounding.
  return std::fabs(quotient - std::round(quotient)) <= 1e-9 * std::max(1.0, std::fabs(quotient));
}

class Validator {
 public:
  explicit Validator(const Graph& graph) : graph_(graph) {}

  std::optional<std::string> Run(const json::value& instance) {
    if (InstanceDepth(instance, kMaxInstanceDepth) > kMaxInstanceDepth) {
      return fmt::format("/: nested deeper than {} levels", kMaxInstanceDepth);
    }
    if (Check(0, instance, 0)) return std::nullopt;
    return std::move(problem_);
  }

 private:
  // Whether `v` is valid against node `index`; on false, problem_ holds why. `depth` counts the
  // subschemas applied around this one.
  bool Check(int index, const json::value& v, int depth) {
    if (++steps_ > kMaxValidationSteps) {
      return FailBound(fmt::format("needs more than {} steps to validate", kMaxValidationSteps));
    }
    if (depth > kMaxEvaluationDepth) {
      return FailBound(fmt::format("subschemas nested deeper than {} levels (a $ref loop?)",
                                   kMaxEvaluationDepth));
    }
    const Node& node = graph_.nodes[index];
    if (node.reject_all) return Fail("not allowed (schema false)");
    const std::uint8_t type = TypeOf(v);
    if (node.types != 0 && (node.types & type) == 0) {
      return Fail("expected " + TypeNames(node.types));
    }
    if (node.enum_values && !InEnum(*node.enum_values, v)) {
      return Fail("not one of the enum values");
    }
    if (node.const_value && !JsonEqual(*node.const_value, v)) return Fail("not the const value");
    if (v.is_object() && !CheckObject(node, v.get_object(), depth)) return false;
    if (v.is_array() && !CheckArray(node, v.get_array(), depth)) return false;
    if (v.is_string() && !CheckString(node, v.get_string())) return false;
    if (v.is_number() && !CheckNumber(node, v)) return false;
    return CheckApplicators(node, v, depth);
  }

  bool InEnum(const std::vector<json::value>& values, const json::value& v) {
    for (const json::value& candidate : values) {
      if (JsonEqual(candidate, v)) return true;
    }
    return false;
  }

  bool CheckObject(const Node& node, const json::object& object, int depth) {
    for (const std::string& name : node.required) {
      if (!object.contains(name)) {
        return Fail(fmt::format("missing required property '{}'", Cut(name)));
      }
    }
    if (node.min_properties && object.size() < *node.min_properties) {
      return Fail(fmt::format("fewer than {} properties", *node.min_properties));
    }
    if (node.max_properties && object.size() > *node.max_properties) {
      return Fail(fmt::format("more than {} properties", *node.max_properties));
    }
    for (const auto& member : object) {
      int child = node.additional_properties;
      for (const auto& [name, property] : node.properties) {
        if (name == member.key()) {
          child = property;
          break;
        }
      }
      if (child == kNoNode) continue;
      path_.emplace_back(EscapePointerToken(member.key()));
      const bool ok = Check(child, member.value(), depth + 1);
      if (!ok && child == node.additional_properties && graph_.nodes[child].reject_all) {
        problem_ = Located("property not allowed (additionalProperties)");
      }
      path_.pop_back();
      if (!ok) return false;
    }
    return true;
  }

  bool CheckArray(const Node& node, const json::array& array, int depth) {
    if (node.min_items && array.size() < *node.min_items) {
      return Fail(fmt::format("fewer than {} items", *node.min_items));
    }
    if (node.max_items && array.size() > *node.max_items) {
      return Fail(fmt::format("more than {} items", *node.max_items));
    }
    for (std::size_t i = 0; i < array.size(); ++i) {
      const int child = i < node.prefix_items.size() ? node.prefix_items[i] : node.items;
      if (child == kNoNode) continue;
      path_.emplace_back(std::to_string(i));
      const bool ok = Check(child, array[i], depth + 1);
      path_.pop_back();
      if (!ok) return false;
    }
    if (!node.unique_items) return true;
    for (std::size_t i = 0; i < array.size(); ++i) {
      for (std::size_t j = i + 1; j < array.size(); ++j) {
        if (++steps_ > kMaxValidationSteps) {
          return FailBound(
              fmt::format("uniqueItems needs more than {} steps", kMaxValidationSteps));
        }
        if (JsonEqual(array[i], array[j])) {
          return Fail(fmt::format("items {} and {} are equal (uniqueItems)", i, j));
        }
      }
    }
    return true;
  }

  bool CheckString(const Node& node, std::string_view text) {
    if (node.min_length || node.max_length) {
      const std::uint64_t length = CodePoints(text);
      if (node.min_length && length < *node.min_length) {
        return Fail(fmt::format("shorter than {} characters", *node.min_length));
      }
      if (node.max_length && length > *node.max_length) {
        return Fail(fmt::format("longer than {} characters", *node.max_length));
      }
    }
    if (node.pattern && !node.pattern->Search(text)) return Fail("does not match the pattern");
    return true;
  }

  bool CheckNumber(const Node& node, const json::value& v) {
    const double x = AsDouble(v);
    if (node.minimum && x < *node.minimum) return Fail(fmt::format("less than {}", *node.minimum));
    if (node.maximum && x > *node.maximum) return Fail(fmt::format("more than {}", *node.maximum));
    if (node.exclusive_minimum && x <= *node.exclusive_minimum) {
      return Fail(fmt::format("not more than {}", *node.exclusive_minimum));
    }
    if (node.exclusive_maximum && x >= *node.exclusive_maximum) {
      return Fail(fmt::format("not less than {}", *node.exclusive_maximum));
    }
    if (node.multiple_of && !MultipleOf(v, *node.multiple_of)) {
      return Fail(fmt::format("not a multiple of {}", *node.multiple_of));
    }
    return true;
  }

  bool CheckApplicators(const Node& node, const json::value& v, int depth) {
    if (node.ref != kNoNode && !Check(node.ref, v, depth + 1)) return false;
    for (int child : node.all_of) {
      if (!Check(child, v, depth + 1)) return false;
    }
    if (!node.any_of.empty()) {
      bool any = false;
      for (int child : node.any_of) {
        if ((any = Check(child, v, depth + 1))) break;
        if (Exhausted()) return false;
      }
      if (!any) return Fail("matches none of the anyOf schemas");
    }
    if (!node.one_of.empty()) {
      int matches = 0;
      for (int child : node.one_of) {
        matches += Check(child, v, depth + 1);
        if (Exhausted()) return false;
      }
      if (matches == 0) return Fail("matches none of the oneOf schemas");
      if (matches > 1) {
        return Fail(fmt::format("matches {} of the oneOf schemas, one wanted", matches));
      }
    }
    if (node.not_schema != kNoNode) {
      const bool matched = Check(node.not_schema, v, depth + 1);
      if (Exhausted()) return false;
      if (matched) return Fail("matches the schema under not");
    }
    return true;
  }

  // A failed branch of anyOf/oneOf/not is part of the answer, unless it failed on a bound: then
  // the whole validation fails with that bound's reason.
  bool Exhausted() const { return bound_hit_; }

  bool Fail(std::string_view what) {
    problem_ = Located(what);
    return false;
  }

  // A bound of schema.h ran out: the validation as a whole fails, whatever branch it was in.
  bool FailBound(std::string_view what) {
    bound_hit_ = true;
    return Fail(what);
  }

  std::string Located(std::string_view what) const {
    std::string pointer;
    for (const std::string& token : path_) pointer += "/" + token;
    return fmt::format("{}: {}", pointer.empty() ? "/" : Cut(pointer), what);
  }

  // At most kMaxPointerBytes of `text`, cut at a UTF-8 boundary.
  static std::string Cut(std::string_view text) {
    if (text.size() <= kMaxPointerBytes) return std::string(text);
    std::size_t cut = kMaxPointerBytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    return std::string(text.substr(0, cut)) + "...";
  }

  const Graph& graph_;
  std::vector<std::string> path_;
  std::size_t steps_ = 0;
  bool bound_hit_ = false;
  std::string problem_;
};

}  // namespace

std::optional<std::string> Schema::Validate(const json::value& instance) const {
  return Validator(*graph_).Run(instance);
}

}  // namespace switchyard::json_schema
