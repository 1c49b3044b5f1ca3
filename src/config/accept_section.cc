// Loading `accept:` of a race or hedge route (CONTRACT.md "Route shapes"): the checks an answer
// must pass beyond its success status. accept/ compiles them; the regex is compiled here too, so
// that a bad pattern stops the config at its line instead of at the first race.
#include <fmt/format.h>

#include <array>

#include "config/config_sections.h"
#include "regex/pattern.h"

namespace switchyard::config {
namespace {

constexpr std::int64_t kMaxMinLength = 1'000'000;

// A true/false key into *out; absent or bad (reported) leaves it as it is.
void ReadFlag(const MapReader& reader, std::string_view key, bool* out) {
  if (std::optional<std::string> flag = reader.OneOf(key, {"true", "false"})) {
    *out = *flag == "true";
  }
}

}  // namespace

void LoadAccept(MapReader& route_reader, AcceptConfig* accept, Problems* problems) {
  const MapEntry* entry = route_reader.Find("accept");
  if (entry == nullptr) return;
  accept->line = entry->line;
  MapReader reader = route_reader.Child(
      "accept", {"non_empty", "json", "json_schema", "min_length", "regex", "tool_call"});
  if (!reader.is_map()) return;  // reported
  ReadFlag(reader, "non_empty", &accept->non_empty);
  ReadFlag(reader, "json", &accept->json);
  ReadFlag(reader, "json_schema", &accept->json_schema);
  ReadFlag(reader, "tool_call", &accept->tool_call);
  if (std::optional<std::int64_t> min = reader.Integer("min_length", 0, kMaxMinLength)) {
    accept->min_length = *min;
  }
  const MapEntry* regex = reader.Find("regex");
  if (regex == nullptr) return;
  std::optional<std::string> source = reader.String("regex");
  if (!source) return;  // reported: a map or a list
  Result<regex::Pattern> pattern = regex::Pattern::Compile(*source);
  if (!pattern.ok()) {
    AddProblem(problems, regex->line,
               fmt::format("{}: {}", reader.Field("regex"), pattern.error().message));
    return;
  }
  accept->regex = std::move(*source);
}

}  // namespace switchyard::config
