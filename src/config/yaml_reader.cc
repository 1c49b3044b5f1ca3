#include "config/yaml_reader.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "config/env_interpolation.h"
#include "config/size_parse.h"

namespace switchyard::config {
namespace {

// About 24.8 days: long enough for any deadline, and it fits every clock's tick count.
constexpr std::int64_t kMaxMillis = 2'147'483'647;

std::string Describe(std::string_view path) {
  return path.empty() ? std::string("the top level") : std::string(path);
}

// "in limits", or "at the top level".
std::string Where(std::string_view path) {
  return path.empty() ? std::string("at the top level") : fmt::format("in {}", path);
}

}  // namespace

int LineOf(const YAML::Node& node) {
  // yaml-cpp gives a null value the mark of the token after it, often on a later line.
  if (!node.IsDefined() || node.IsNull()) return 0;
  int line = node.Mark().line;
  return line < 0 ? 0 : line + 1;
}

std::string FieldName(std::string_view path, std::string_view key) {
  if (path.empty()) return std::string(key);
  return fmt::format("{}.{}", path, key);
}

std::vector<MapEntry> ReadMapEntries(const YAML::Node& node, std::string_view path, int line,
                                     Problems* problems) {
  std::vector<MapEntry> entries;
  if (!node.IsDefined() || node.IsNull()) return entries;
  if (!node.IsMap()) {
    // The value is not quoted: this may be a secret written where a map belongs.
    int where = LineOf(node) != 0 ? LineOf(node) : line;
    problems->push_back({where, fmt::format("{} must be a map", Describe(path))});
    return entries;
  }
  for (auto item : node) {
    int key_line = LineOf(item.first);
    if (!item.first.IsScalar()) {
      problems->push_back({key_line, fmt::format("a key {} is not a string", Where(path))});
      continue;
    }
    std::string key = item.first.Scalar();
    bool repeated = std::any_of(entries.begin(), entries.end(),
                                [&](const MapEntry& entry) { return entry.key == key; });
    if (repeated) {
      // yaml-cpp keeps both copies; silently taking one would hide a mistake.
      problems->push_back({key_line, fmt::format("key '{}' appears twice {}", key, Where(path))});
      continue;
    }
    entries.push_back({std::move(key), item.second, key_line});
  }
  return entries;
}

MapReader::MapReader(const YAML::Node& node, std::string path, int line,
                     std::span<const std::string_view> known_keys, Problems* problems,
                     KeyQuoting quoting)
    : path_(std::move(path)), line_(line), problems_(problems) {
  is_map_ = !node.IsDefined() || node.IsNull() || node.IsMap();
  entries_ = ReadMapEntries(node, path_, line, problems);
  for (const MapEntry& entry : entries_) {
    if (std::find(known_keys.begin(), known_keys.end(), entry.key) != known_keys.end()) continue;
    if (quoting == KeyQuoting::kHide) {
      Report(entry.line, fmt::format("unknown key {}", Where(path_)));
    } else {
      Report(entry.line, fmt::format("unknown key '{}' {}", entry.key, Where(path_)));
    }
  }
}

const MapEntry* MapReader::Find(std::string_view key) const {
  for (const MapEntry& entry : entries_) {
    if (entry.key == key) return entry.value.IsNull() ? nullptr : &entry;
  }
  return nullptr;
}

MapReader MapReader::Child(std::string_view key,
                           std::initializer_list<std::string_view> known_keys) const {
  const MapEntry* entry = Find(key);
  if (entry == nullptr) return MapReader(YAML::Node(), Field(key), line_, known_keys, problems_);
  return MapReader(entry->value, Field(key), entry->line, known_keys, problems_);
}

bool MapReader::Missing(std::string_view key) const {
  for (const MapEntry& entry : entries_) {
    if (entry.key == key) return entry.value.IsNull() && !IsUnresolved(entry.value);
  }
  return true;
}

void MapReader::Report(int line, std::string message) const {
  problems_->push_back({line, std::move(message)});
}

std::optional<std::string> MapReader::Scalar(const MapEntry& entry) const {
  if (entry.value.IsScalar()) return entry.value.Scalar();
  Report(entry.line,
         fmt::format("{} must be a single value, not a map or a list", Field(entry.key)));
  return std::nullopt;
}

std::optional<std::string> MapReader::String(std::string_view key) const {
  const MapEntry* entry = Find(key);
  if (entry == nullptr) return std::nullopt;
  return Scalar(*entry);
}

std::optional<Secret> MapReader::SecretValue(std::string_view key) const {
  std::optional<std::string> text = String(key);
  if (!text) return std::nullopt;
  return Secret(std::move(*text));
}

std::optional<std::int64_t> MapReader::Integer(std::string_view key, std::int64_t min,
                                               std::int64_t max) const {
  const MapEntry* entry = Find(key);
  if (entry == nullptr) return std::nullopt;
  std::optional<std::string> text = Scalar(*entry);
  if (!text) return std::nullopt;
  std::optional<std::int64_t> value = ParseInteger(*text);
  if (value && *value >= min && *value <= max) return value;
  Report(entry->line, fmt::format("{} must be an integer from {} to {} (got '{}')", Field(key), min,
                                  max, *text));
  return std::nullopt;
}

std::optional<Millis> MapReader::Duration(std::string_view key) const {
  const MapEntry* entry = Find(key);
  if (entry == nullptr) return std::nullopt;
  std::optional<std::string> text = Scalar(*entry);
  if (!text) return std::nullopt;
  std::optional<std::int64_t> value = ParseInteger(*text);
  if (value && *value >= 1 && *value <= kMaxMillis) return Millis(*value);
  Report(entry->line, fmt::format("{} must be a positive whole number of milliseconds (got '{}')",
                                  Field(key), *text));
  return std::nullopt;
}

void MapReader::ReadDuration(std::string_view key, Millis* out) const {
  if (std::optional<Millis> value = Duration(key)) *out = *value;
}

std::optional<std::uint64_t> MapReader::ByteSize(std::string_view key) const {
  const MapEntry* entry = Find(key);
  if (entry == nullptr) return std::nullopt;
  std::optional<std::string> text = Scalar(*entry);
  if (!text) return std::nullopt;
  std::optional<std::uint64_t> value = ParseByteSize(*text);
  if (value && *value > 0) return value;
  Report(entry->line, fmt::format("{} must be a positive size such as 1048576, 64KiB or 32MiB "
                                  "(got '{}')",
                                  Field(key), *text));
  return std::nullopt;
}

std::optional<std::string> MapReader::OneOf(std::string_view key,
                                            std::initializer_list<std::string_view> choices) const {
  const MapEntry* entry = Find(key);
  if (entry == nullptr) return std::nullopt;
  std::optional<std::string> text = Scalar(*entry);
  if (!text) return std::nullopt;
  if (std::find(choices.begin(), choices.end(), *text) != choices.end()) return text;
  Report(entry->line, fmt::format("{} must be one of {} (got '{}')", Field(key),
                                  fmt::join(choices, "|"), *text));
  return std::nullopt;
}

std::optional<std::vector<std::string>> MapReader::StringList(std::string_view key) const {
  const MapEntry* entry = Find(key);
  if (entry == nullptr) return std::nullopt;
  if (!entry->value.IsSequence()) {
    Report(entry->line, fmt::format("{} must be a list of strings", Field(key)));
    return std::nullopt;
  }
  std::vector<std::string> items;
  bool good = true;
  std::size_t index = 0;
  for (const YAML::Node& item : entry->value) {
    int line = LineOf(item) != 0 ? LineOf(item) : entry->line;
    if (IsUnresolved(item)) {
      good = false;  // already reported
    } else if (!item.IsScalar() || item.Scalar().empty()) {
      Report(line, fmt::format("{}[{}] must be a non-empty string", Field(key), index));
      good = false;
    } else {
      items.push_back(item.Scalar());
    }
    ++index;
  }
  if (!good) return std::nullopt;
  return items;
}

[[gnu::noinline]] void AddProblem(Problems* problems, int line, std::string message) {
  problems->push_back({line, std::move(message)});
}

}  // namespace switchyard::config
