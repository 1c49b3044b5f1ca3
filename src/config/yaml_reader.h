// YamlReader: typed, line-aware access to the YAML maps of a config. A MapReader reads one map
// whose keys are fixed: it reports unknown and repeated keys when constructed, then hands out typed
// values (strings, secrets, integers, durations, sizes, choices), reporting each bad value with its
// line. Every problem goes to the caller's problem list, so loading continues and all problems are
// found. Values of secret fields are never quoted in a message. Not thread-safe; used during
// loading only.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "config/config_loader.h"
#include "core/secret.h"

namespace switchyard::config {

using Problems = std::vector<ConfigProblem>;

// The node's 1-based line, or 0 when it has none (a null or missing node); callers then use the
// line of the key that holds it.
int LineOf(const YAML::Node& node);

// "providers.openai" + "kind" → "providers.openai.kind"; an empty path is the top level.
std::string FieldName(std::string_view path, std::string_view key);

struct MapEntry {
  std::string key;
  YAML::Node value;
  int line = 0;  // the key's line: a null value has no useful mark of its own
};

// Whether unknown-key messages may quote the key (not where a secret could have been typed as a
// key).
enum class KeyQuoting { kQuote, kHide };

// Adds a problem. Out of line on purpose: GCC 12 at -O3, inlining the move of a message built
// from a long literal into the vector, reports a false -Warray-bounds (it broke Release builds
// under -Werror); here the message's length is unknown, and the warning has nothing to go on.
void AddProblem(Problems* problems, int line, std::string message);

// The entries of `node` in document order, or none when it is null. Reports a node that is not a
// map, keys that are not plain strings and repeated keys (the later one is skipped). `path` names
// the map.
std::vector<MapEntry> ReadMapEntries(const YAML::Node& node, std::string_view path, int line,
                                     Problems* problems);

class MapReader {
 public:
  // `line` locates the map for "needs X" messages (the line of its key in the parent map). A null
  // node reads as an empty map. `problems` must outlive the reader.
  MapReader(const YAML::Node& node, std::string path, int line,
            std::span<const std::string_view> known_keys, Problems* problems,
            KeyQuoting quoting = KeyQuoting::kQuote);
  MapReader(const YAML::Node& node, std::string path, int line,
            std::initializer_list<std::string_view> known_keys, Problems* problems,
            KeyQuoting quoting = KeyQuoting::kQuote)
      : MapReader(node, std::move(path), line,
                  std::span<const std::string_view>(known_keys.begin(), known_keys.size()),
                  problems, quoting) {}

  // A reader for the map under `key` (an empty one when the key is absent), named "path.key".
  MapReader Child(std::string_view key, std::initializer_list<std::string_view> known_keys) const;

  // The value under `key`, or nullptr when absent or null (`key:` and `key: ~` mean "not set").
  const MapEntry* Find(std::string_view key) const;
  bool Has(std::string_view key) const { return Find(key) != nullptr; }
  // True when the key is absent or null, so a "needs KEY" problem is due; false when its value was
  // an unresolved `${VAR}`, whose problem has already been reported.
  bool Missing(std::string_view key) const;

  // Each returns nullopt when the key is absent; a bad value is reported and also gives nullopt.
  std::optional<std::string> String(std::string_view key) const;
  std::optional<Secret> SecretValue(std::string_view key) const;  // never quotes the value
  std::optional<std::int64_t> Integer(std::string_view key, std::int64_t min,
                                      std::int64_t max) const;
  std::optional<Millis> Duration(std::string_view key) const;         // a positive number of ms
  std::optional<std::uint64_t> ByteSize(std::string_view key) const;  // positive
  std::optional<std::string> OneOf(std::string_view key,
                                   std::initializer_list<std::string_view> choices) const;
  std::optional<std::vector<std::string>> StringList(std::string_view key) const;

  // Sets `*out` when the key is present and good; leaves it as is otherwise.
  void ReadDuration(std::string_view key, Millis* out) const;

  void Report(int line, std::string message) const;
  std::string Field(std::string_view key) const { return FieldName(path_, key); }
  const std::string& path() const { return path_; }
  int line() const { return line_; }
  bool is_map() const { return is_map_; }  // false when the node was neither a map nor null

 private:
  // The entry's scalar text; reports (without quoting) a value that is a map or a list.
  std::optional<std::string> Scalar(const MapEntry& entry) const;

  std::string path_;
  int line_ = 0;
  bool is_map_ = true;
  std::vector<MapEntry> entries_;
  Problems* problems_;
};

}  // namespace switchyard::config
