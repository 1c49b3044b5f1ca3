// Schema::Compile: JSON Schema (the structured-output subset, schema.h) → the node graph of
// schema_node.h. Each subschema is compiled once per JSON pointer; a $ref is linked to its
// target's node after the tree around it is compiled, so recursive schemas terminate.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <deque>
#include <map>

#include "json_schema/json_pointer.h"
#include "json_schema/schema.h"
#include "json_schema/schema_node.h"

namespace switchyard::json_schema {
namespace json = boost::json;
namespace {

// Assertion keywords of JSON Schema that this subset does not check: refused, rather than
// silently ignored, so that an answer is never accepted against a schema it breaks.
constexpr std::array<std::string_view, 16> kUnsupported = {
    "patternProperties", "propertyNames", "dependentRequired", "dependentSchemas",
    "dependencies",      "if",            "then",              "else",
    "contains",          "minContains",   "maxContains",       "unevaluatedProperties",
    "unevaluatedItems",  "additionalItems", "$dynamicRef",     "$recursiveRef"};

// RE2 budget for one `pattern`: kMaxSchemaPatterns of them stay within 16 MiB per schema.
constexpr std::int64_t kPatternMemory = std::int64_t{256} << 10;

// The deepest nesting of `value`, measured without recursion (the value may be hostile).
int DepthOf(const json::value& value, int limit) {
  std::vector<std::pair<const json::value*, int>> stack = {{&value, 1}};
  int deepest = 0;
  while (!stack.empty()) {
    auto [v, depth] = stack.back();
    stack.pop_back();
    deepest = std::max(deepest, depth);
    if (deepest > limit) return deepest;
    if (const json::object* o = v->if_object()) {
      for (const auto& member : *o) stack.push_back({&member.value(), depth + 1});
    } else if (const json::array* a = v->if_array()) {
      for (const json::value& item : *a) stack.push_back({&item, depth + 1});
    }
  }
  return deepest;
}

std::optional<std::uint8_t> TypeBitOf(std::string_view name) {
  if (name == "null") return kNull;
  if (name == "boolean") return kBoolean;
  if (name == "object") return kObject;
  if (name == "array") return kArray;
  if (name == "number") return kNumber;
  if (name == "string") return kString;
  if (name == "integer") return kInteger;
  return std::nullopt;
}

std::optional<double> NumberOf(const json::value& value) {
  if (value.is_int64()) return static_cast<double>(value.get_int64());
  if (value.is_uint64()) return static_cast<double>(value.get_uint64());
  if (value.is_double() && std::isfinite(value.get_double())) return value.get_double();
  return std::nullopt;
}

// A count keyword's value: a non-negative integer (1.0 counts as 1).
std::optional<std::uint64_t> CountOf(const json::value& value) {
  if (value.is_uint64()) return value.get_uint64();
  if (value.is_int64()) {
    return value.get_int64() >= 0 ? std::optional<std::uint64_t>(value.get_int64()) : std::nullopt;
  }
  if (value.is_double()) {
    const double d = value.get_double();
    if (d >= 0 && d < 1.8e19 && std::floor(d) == d) return static_cast<std::uint64_t>(d);
  }
  return std::nullopt;
}

class Compiler {
 public:
  explicit Compiler(const json::value& root) : root_(root) {}

  Result<std::shared_ptr<const Graph>> Run() {
    if (DepthOf(root_, kMaxSchemaDepth) > kMaxSchemaDepth) {
      return Fail("", fmt::format("nested deeper than {} levels", kMaxSchemaDepth));
    }
    Result<int> root = CompileAt(root_, "");
    if (!root.ok()) return std::move(root).error();
    // Link each $ref; a target compiled here may hold further $refs, which join the queue.
    while (!pending_.empty()) {
      const PendingRef ref = std::move(pending_.front());
      pending_.pop_front();
      Result<int> target = Resolve(ref);
      if (!target.ok()) return std::move(target).error();
      graph_->nodes[ref.node].ref = *target;
    }
    return std::shared_ptr<const Graph>(std::move(graph_));
  }

 private:
  struct PendingRef {
    int node;
    std::string target;    // the $ref's value
    std::string location;  // the pointer of the $ref keyword, for messages
  };

  Error Fail(std::string_view pointer, std::string problem) const {
    return Error::InvalidRequest(fmt::format("output schema {}: {}",
                                             pointer.empty() ? "/" : pointer, problem));
  }

  Result<int> Resolve(const PendingRef& ref) {
    const std::string quoted = fmt::format("'{}'", ref.target.substr(0, 100));
    if (ref.target.empty() || ref.target[0] != '#') {
      return Fail(ref.location, quoted + " is not a local reference (#, #/$defs/...)");
    }
    std::optional<std::string> pointer = DecodeFragment(std::string_view(ref.target).substr(1));
    if (!pointer) return Fail(ref.location, quoted + " is not a JSON pointer");
    if (auto known = compiled_.find(*pointer); known != compiled_.end()) return known->second;
    const json::value* target = FindPointer(root_, *pointer);
    if (target == nullptr) return Fail(ref.location, quoted + " does not resolve");
    return CompileAt(*target, *pointer);
  }

  // Compiles the subschema at `pointer` (once: a second request returns the same node).
  Result<int> CompileAt(const json::value& value, const std::string& pointer) {
    if (auto known = compiled_.find(pointer); known != compiled_.end()) return known->second;
    if (graph_->nodes.size() >= kMaxSchemaNodes) {
      return Fail(pointer, fmt::format("more than {} subschemas", kMaxSchemaNodes));
    }
    const int index = static_cast<int>(graph_->nodes.size());
    graph_->nodes.emplace_back();
    compiled_.emplace(pointer, index);
    Result<Node> node = CompileNode(value, pointer, index);
    if (!node.ok()) return std::move(node).error();
    graph_->nodes[index] = std::move(*node);
    return index;
  }

  Result<int> Child(const json::value& value, const std::string& pointer, std::string_view key) {
    return CompileAt(value, pointer + "/" + EscapePointerToken(key));
  }

  Result<std::vector<int>> ChildList(const json::value& value, const std::string& pointer,
                                     std::string_view keyword, bool allow_empty) {
    const json::array* list = value.if_array();
    if (list == nullptr || (!allow_empty && list->empty())) {
      return Fail(pointer, fmt::format("{} must be a non-empty list of schemas", keyword));
    }
    std::vector<int> out;
    for (std::size_t i = 0; i < list->size(); ++i) {
      Result<int> child = CompileAt((*list)[i], fmt::format("{}/{}", pointer, i));
      if (!child.ok()) return std::move(child).error();
      out.push_back(*child);
    }
    return out;
  }

  Result<Node> CompileNode(const json::value& value, const std::string& pointer, int index) {
    Node node;
    if (value.is_bool()) {
      node.reject_all = !value.get_bool();
      return node;
    }
    const json::object* object = value.if_object();
    if (object == nullptr) return Fail(pointer, "a schema must be an object or a boolean");
    for (const auto& member : *object) {
      const std::string key(member.key());
      const std::string at = pointer + "/" + EscapePointerToken(key);
      if (std::find(kUnsupported.begin(), kUnsupported.end(), key) != kUnsupported.end()) {
        return Fail(at, "keyword not supported by the gateway's validator");
      }
      if (Status s = Keyword(key, member.value(), at, index, node); !s.ok()) {
        return s.error();
      }
    }
    return node;
  }

  // One keyword of a schema object into `node`; annotations and unknown keywords are skipped.
  Status Keyword(const std::string& key, const json::value& value, const std::string& at,
                 int index, Node& node) {
    if (key == "type") return ReadTypes(value, at, node);
    if (key == "properties") return ReadProperties(value, at, node);
    if (key == "required") return ReadRequired(value, at, node);
    if (key == "additionalProperties") return Link(value, at, &node.additional_properties);
    if (key == "items") return Link(value, at, &node.items);
    if (key == "prefixItems") return LinkList(value, at, key, true, &node.prefix_items);
    if (key == "allOf") return LinkList(value, at, key, false, &node.all_of);
    if (key == "anyOf") return LinkList(value, at, key, false, &node.any_of);
    if (key == "oneOf") return LinkList(value, at, key, false, &node.one_of);
    if (key == "not") return Link(value, at, &node.not_schema);
    if (key == "enum") {
      const json::array* list = value.if_array();
      if (list == nullptr) return Fail(at, "must be a list");
      node.enum_values.emplace(list->begin(), list->end());
      return Status();
    }
    if (key == "const") {
      node.const_value = value;
      return Status();
    }
    if (key == "$ref") {
      if (!value.is_string()) return Fail(at, "must be a string");
      pending_.push_back({index, std::string(value.get_string()), at});
      return Status();
    }
    if (key == "pattern") return ReadPattern(value, at, node);
    if (key == "uniqueItems") {
      if (!value.is_bool()) return Fail(at, "must be true or false");
      node.unique_items = value.get_bool();
      return Status();
    }
    if (auto* count = CountField(key, node)) {
      *count = CountOf(value);
      return *count ? Status() : Fail(at, "must be a non-negative integer");
    }
    if (auto* bound = NumberField(key, node)) {
      *bound = NumberOf(value);
      if (!*bound) return Fail(at, "must be a number");
      if (key == "multipleOf" && **bound <= 0) return Fail(at, "must be greater than 0");
      return Status();
    }
    return Status();  // an annotation or an unknown keyword
  }

  static std::optional<std::uint64_t>* CountField(std::string_view key, Node& node) {
    if (key == "minLength") return &node.min_length;
    if (key == "maxLength") return &node.max_length;
    if (key == "minItems") return &node.min_items;
    if (key == "maxItems") return &node.max_items;
    if (key == "minProperties") return &node.min_properties;
    if (key == "maxProperties") return &node.max_properties;
    return nullptr;
  }

  static std::optional<double>* NumberField(std::string_view key, Node& node) {
    if (key == "minimum") return &node.minimum;
    if (key == "maximum") return &node.maximum;
    if (key == "exclusiveMinimum") return &node.exclusive_minimum;
    if (key == "exclusiveMaximum") return &node.exclusive_maximum;
    if (key == "multipleOf") return &node.multiple_of;
    return nullptr;
  }

  Status ReadTypes(const json::value& value, const std::string& at, Node& node) {
    auto add = [&](const json::value& name) -> Status {
      std::optional<std::uint8_t> bit =
          name.is_string() ? TypeBitOf(name.get_string()) : std::nullopt;
      if (!bit) return Fail(at, "must name JSON types (null, boolean, object, array, number, "
                                "string, integer)");
      node.types |= *bit;
      return Status();
    };
    if (const json::array* list = value.if_array()) {
      if (list->empty()) return Fail(at, "must name at least one type");
      for (const json::value& name : *list) {
        if (Status s = add(name); !s.ok()) return s;
      }
      return Status();
    }
    return add(value);
  }

  Status ReadProperties(const json::value& value, const std::string& at, Node& node) {
    const json::object* properties = value.if_object();
    if (properties == nullptr) return Fail(at, "must be an object of schemas");
    for (const auto& property : *properties) {
      Result<int> child = Child(property.value(), at, property.key());
      if (!child.ok()) return std::move(child).error();
      node.properties.emplace_back(std::string(property.key()), *child);
    }
    return Status();
  }

  Status ReadRequired(const json::value& value, const std::string& at, Node& node) {
    const json::array* list = value.if_array();
    if (list == nullptr) return Fail(at, "must be a list of property names");
    for (const json::value& name : *list) {
      if (!name.is_string()) return Fail(at, "must be a list of property names");
      node.required.emplace_back(name.get_string());
    }
    return Status();
  }

  Status ReadPattern(const json::value& value, const std::string& at, Node& node) {
    if (!value.is_string()) return Fail(at, "must be a string");
    if (++patterns_ > kMaxSchemaPatterns) {
      return Fail(at, fmt::format("more than {} patterns in one schema", kMaxSchemaPatterns));
    }
    Result<regex::Pattern> pattern = regex::Pattern::Compile(value.get_string(), kPatternMemory);
    if (!pattern.ok()) return Fail(at, pattern.error().message);
    node.pattern = std::move(*pattern);
    return Status();
  }

  Status Link(const json::value& value, const std::string& at, int* out) {
    Result<int> child = CompileAt(value, at);
    if (!child.ok()) return std::move(child).error();
    *out = *child;
    return Status();
  }

  Status LinkList(const json::value& value, const std::string& at, std::string_view keyword,
                  bool allow_empty, std::vector<int>* out) {
    Result<std::vector<int>> children = ChildList(value, at, keyword, allow_empty);
    if (!children.ok()) return std::move(children).error();
    *out = std::move(*children);
    return Status();
  }

  const json::value& root_;
  std::shared_ptr<Graph> graph_ = std::make_shared<Graph>();
  std::map<std::string, int> compiled_;  // pointer → node, so each subschema compiles once
  std::deque<PendingRef> pending_;
  std::size_t patterns_ = 0;
};

}  // namespace

Result<Schema> Schema::Compile(const json::value& schema) {
  Result<std::shared_ptr<const Graph>> graph = Compiler(schema).Run();
  if (!graph.ok()) return std::move(graph).error();
  return Schema(std::move(*graph));
}

}  // namespace switchyard::json_schema
