// The YAML side of config/experiment_config.h: an `ab` route's `variants`, `judge` and `promote`,
// and the check-config warning about a judge of the same model family as a variant.
#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <set>

#include "config/config_sections.h"
#include "config/env_interpolation.h"
#include "config/size_parse.h"
#include "core/fnv1a.h"

namespace switchyard::config {
namespace {

constexpr double kMaxShare = 1'000'000;
constexpr std::int64_t kMaxJudgeDollarsPerDay = 1'000'000;
constexpr std::size_t kMinVariants = 2;
constexpr std::size_t kMaxVariants = 16;

// A number in [min, max] under `key`; reported at its line otherwise.
std::optional<double> ReadNumber(const MapReader& reader, std::string_view key, double min,
                                 double max) {
  const MapEntry* entry = reader.Find(key);
  if (entry == nullptr) return std::nullopt;
  const std::string text = entry->value.IsScalar() ? entry->value.Scalar() : std::string();
  double value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (!text.empty() && ec == std::errc() && ptr == end && std::isfinite(value) && value >= min &&
      value <= max) {
    return value;
  }
  reader.Report(entry->line,
                fmt::format("{} must be a number from {} to {} (got '{}')", reader.Field(key), min,
                            max, entry->value.IsScalar() ? text.substr(0, 40) : "a map or a list"));
  return std::nullopt;
}

std::optional<ExperimentVariant> LoadVariant(const YAML::Node& item, const std::string& path,
                                             int line, Problems* problems) {
  if (IsUnresolved(item)) return std::nullopt;  // already reported
  if (!item.IsMap()) {
    problems->push_back({line, path + " must be a map with a name, a target and a share"});
    return std::nullopt;
  }
  MapReader reader(item, path, line, {"name", "target", "share"}, problems);
  ExperimentVariant variant;
  variant.line = line;
  std::optional<std::string> name = reader.String("name");
  std::optional<std::string> target = reader.String("target");
  if (!name || name->empty() || !target || target->empty()) {
    problems->push_back({line, path + " needs a name and a target (provider/model or a route)"});
    return std::nullopt;
  }
  variant.name = std::move(*name);
  variant.target = std::move(*target);
  if (std::optional<double> share = ReadNumber(reader, "share", 0, kMaxShare)) {
    variant.share = *share;
  }
  return variant;
}

void LoadVariants(const MapReader& route_reader, const std::string& route,
                  ExperimentConfig* experiment, Problems* problems) {
  const MapEntry* list = route_reader.Find("variants");
  if (list == nullptr || !list->value.IsSequence()) {
    problems->push_back({list != nullptr ? list->line : route_reader.line(),
                         fmt::format("route '{}' uses strategy ab and needs a list of variants "
                                     "({{ name, target, share }})",
                                     route)});
    return;
  }
  std::set<std::string, std::less<>> names;
  std::size_t index = 0;
  for (const YAML::Node& item : list->value) {
    const int line = LineOf(item) != 0 ? LineOf(item) : list->line;
    const std::string path = fmt::format("{}[{}]", route_reader.Field("variants"), index++);
    std::optional<ExperimentVariant> variant = LoadVariant(item, path, line, problems);
    if (!variant) continue;
    if (!names.insert(variant->name).second) {
      problems->push_back(
          {line, fmt::format("route '{}' has two variants named '{}'", route, variant->name)});
      continue;
    }
    experiment->variants.push_back(std::move(*variant));
  }
  const std::size_t count = list->value.size();
  if (count < kMinVariants || count > kMaxVariants) {
    problems->push_back({list->line, fmt::format("route '{}' needs {} to {} variants (it has {})",
                                                 route, kMinVariants, kMaxVariants, count)});
  }
  bool any_share = false;
  for (const ExperimentVariant& variant : experiment->variants) any_share |= variant.share > 0;
  if (!experiment->variants.empty() && !any_share) {
    problems->push_back({list->line, fmt::format("route '{}': at least one variant needs a "
                                                 "positive share",
                                                 route)});
  }
}

void LoadJudge(const MapReader& route_reader, ExperimentConfig* experiment) {
  const MapEntry* entry = route_reader.Find("judge");
  if (entry == nullptr) return;
  MapReader reader =
      route_reader.Child("judge", {"model", "sample", "mode", "prompt", "rubric", "max_usd",
                                   "margin", "confidence", "timeout_ms", "max_tokens"});
  if (!reader.is_map()) return;  // reported
  ExperimentJudge judge;
  judge.line = entry->line;
  std::optional<std::string> model = reader.String("model");
  const bool has_model = model && !model->empty();
  if (!has_model && (reader.Missing("model") || model)) {
    reader.Report(entry->line, reader.path() + " needs a model (provider/model or a route)");
  }
  if (has_model) judge.model = std::move(*model);
  if (auto sample = ReadNumber(reader, "sample", 0, 1)) judge.sample = *sample;
  if (auto mode = reader.OneOf("mode", {"pairwise", "score"})) judge.mode = std::move(*mode);
  if (auto prompt = reader.String("prompt")) judge.prompt = std::move(*prompt);
  if (auto rubric = reader.String("rubric")) judge.rubric = std::move(*rubric);
  if (const MapEntry* usd = reader.Find("max_usd")) {
    const std::string text = usd->value.IsScalar() ? usd->value.Scalar() : std::string();
    judge.max_nanos_per_day = ParseUsdNanos(text, kMaxJudgeDollarsPerDay);
    if (!judge.max_nanos_per_day) {
      reader.Report(usd->line, fmt::format("{} must be an amount of USD per day with at most 9 "
                                           "decimals, up to {} (got '{}')",
                                           reader.Field("max_usd"), kMaxJudgeDollarsPerDay,
                                           text.substr(0, 40)));
    }
  }
  if (auto margin = ReadNumber(reader, "margin", 0, 0.45)) judge.margin = *margin;
  if (auto confidence = ReadNumber(reader, "confidence", 0.5, 0.9999)) {
    judge.confidence = *confidence;
  }
  if (auto timeout = reader.Duration("timeout_ms")) judge.timeout_ms = timeout->count();
  if (auto tokens = reader.Integer("max_tokens", 16, 100'000)) judge.max_tokens = *tokens;
  if (has_model) experiment->judge = std::move(judge);
}

void LoadPromotion(const MapReader& route_reader, const std::string& route,
                   ExperimentConfig* experiment, Problems* problems) {
  const MapEntry* entry = route_reader.Find("promote");
  if (entry == nullptr) return;
  MapReader reader = route_reader.Child("promote", {"enabled", "to", "keep_sample"});
  if (!reader.is_map()) return;
  ExperimentPromotion& promote = experiment->promote;
  if (auto enabled = reader.OneOf("enabled", {"true", "false"})) {
    promote.enabled = *enabled == "true";
  }
  if (auto to = reader.OneOf("to", {"winner", "cheapest_not_worse"})) promote.to = std::move(*to);
  if (auto keep = ReadNumber(reader, "keep_sample", 0, 1)) promote.keep_sample = *keep;
  if (promote.enabled && (!experiment->judge || experiment->judge->mode != "pairwise")) {
    problems->push_back({entry->line, fmt::format("route '{}': promotion needs a pairwise judge "
                                                  "(the verdict it acts on comes from pairwise "
                                                  "judgements)",
                                                  route)});
  }
}

}  // namespace

// FNV-1a 64 over the route's name and its variants as written (names, targets, shares), each field
// closed by a NUL so that no two lists run together into the same bytes. The route's name keeps two
// experiments over the same variants from splitting their users alike.
std::string ExperimentEpoch(std::string_view route,
                            const std::vector<ExperimentVariant>& variants) {
  std::uint64_t hash = kFnv1a64Offset;
  auto add = [&hash](std::string_view text) {
    hash = Fnv1a64(std::string_view("\0", 1), Fnv1a64(text, hash));
  };
  add(route);
  for (const ExperimentVariant& variant : variants) {
    add(variant.name);
    add(variant.target);
    add(fmt::format("{}", variant.share));
  }
  return fmt::format("e{:012x}", hash & 0xffffffffffffull);
}

namespace {

// The family of a model name: its leading letters, lowercased ("gpt-4o-mini" → "gpt",
// "claude-sonnet-4-5" → "claude", "llama3.1" → "llama"); a provider's prefix is dropped first.
std::string FamilyOf(std::string_view model) {
  if (std::size_t slash = model.rfind('/'); slash != std::string_view::npos) {
    model.remove_prefix(slash + 1);
  }
  std::string family;
  for (char c : model) {
    if (!std::isalpha(static_cast<unsigned char>(c))) break;
    family.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return family;
}

// The provider/model names `model` may reach: itself, or a route's targets, nested ones too.
void LeafModels(const Config& config, std::string_view model, int depth,
                std::vector<std::string>* out) {
  const RouteConfig* route = depth < 16 ? config.FindRoute(model) : nullptr;
  if (route == nullptr) {
    out->emplace_back(model);
    return;
  }
  for (const RouteTarget& target : route->targets) LeafModels(config, target.model, depth + 1, out);
}

}  // namespace

void LoadExperiment(const MapReader& route_reader, RouteConfig* route, Problems* problems) {
  ExperimentConfig experiment;
  LoadVariants(route_reader, route->name, &experiment, problems);
  LoadJudge(route_reader, &experiment);
  LoadPromotion(route_reader, route->name, &experiment, problems);
  experiment.epoch = ExperimentEpoch(route->name, experiment.variants);
  for (const ExperimentVariant& variant : experiment.variants) {
    RouteTarget target;
    target.model = variant.target;
    target.weight = variant.share;
    target.line = variant.line;
    route->targets.push_back(std::move(target));
  }
  route->experiment = std::move(experiment);
}

std::vector<ConfigProblem> ExperimentWarnings(const Config& config) {
  std::vector<ConfigProblem> warnings;
  for (const RouteConfig& route : config.routes) {
    if (!route.experiment || !route.experiment->judge) continue;
    const ExperimentJudge& judge = *route.experiment->judge;
    std::vector<std::string> judges;
    LeafModels(config, judge.model, 0, &judges);
    for (const ExperimentVariant& variant : route.experiment->variants) {
      std::vector<std::string> models;
      LeafModels(config, variant.target, 0, &models);
      bool warned = false;  // once per variant
      for (const std::string& model : models) {
        for (const std::string& judge_model : judges) {
          const std::string family = FamilyOf(model);
          if (warned || family.empty() || family != FamilyOf(judge_model)) continue;
          warned = true;
          warnings.push_back(
              {judge.line, fmt::format("route '{}': the judge {} is of the same model family "
                                       "('{}') as variant '{}' ({}); judges tend to prefer their "
                                       "own family's answers — pick a judge of another family",
                                       route.name, judge_model, family, variant.name, model)});
        }
      }
    }
  }
  return warnings;
}

}  // namespace switchyard::config
