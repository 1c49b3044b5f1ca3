// The compiled form of a Schema: a graph of nodes, one per subschema, linked by index so that a
// recursive schema ($ref back up the tree) is a cycle of indices rather than an endless tree.
// Internal to json_schema/ (the compiler builds it, the validator reads it).
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "regex/pattern.h"

namespace switchyard::json_schema {

// JSON types as bits of Node::types; integer is a subset of number.
enum TypeBit : std::uint8_t {
  kNull = 1 << 0,
  kBoolean = 1 << 1,
  kObject = 1 << 2,
  kArray = 1 << 3,
  kNumber = 1 << 4,
  kString = 1 << 5,
  kInteger = 1 << 6,
};

inline constexpr int kNoNode = -1;

struct Node {
  bool reject_all = false;  // the schema `false`
  std::uint8_t types = 0;   // 0: any type
  // Objects.
  std::vector<std::pair<std::string, int>> properties;
  std::vector<std::string> required;
  int additional_properties = kNoNode;  // kNoNode: any further property is allowed
  std::optional<std::uint64_t> min_properties, max_properties;
  // Arrays.
  std::vector<int> prefix_items;
  int items = kNoNode;  // the items after prefix_items
  std::optional<std::uint64_t> min_items, max_items;
  bool unique_items = false;
  // Strings (lengths in code points).
  std::optional<std::uint64_t> min_length, max_length;
  std::optional<regex::Pattern> pattern;
  // Numbers.
  std::optional<double> minimum, maximum, exclusive_minimum, exclusive_maximum, multiple_of;
  // Any type.
  std::optional<std::vector<boost::json::value>> enum_values;
  std::optional<boost::json::value> const_value;
  std::vector<int> all_of, any_of, one_of;
  int not_schema = kNoNode;
  int ref = kNoNode;
};

struct Graph {
  std::vector<Node> nodes;  // nodes[0] is the root
};

}  // namespace switchyard::json_schema
