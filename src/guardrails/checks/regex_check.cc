// regex: every match of the guardrail's pattern (RE2, linear-time: regex/), its kind as configured.
#include "guardrails/check.h"
#include "regex/pattern.h"

namespace switchyard::guardrails {
namespace {

// The most matches one text reports: a pattern that matches everywhere must not build a vector as
// long as the text.
constexpr std::size_t kMaxMatches = 10'000;

class RegexCheck final : public Check {
 public:
  RegexCheck(regex::Pattern pattern, std::string kind)
      : pattern_(std::move(pattern)), kind_(std::move(kind)) {}

  void FindSpans(std::string_view text, std::vector<TextSpan>& out) const override {
    std::vector<std::pair<std::size_t, std::size_t>> matches;
    pattern_.FindAll(text, kMaxMatches, matches);
    for (const auto& [begin, end] : matches) out.push_back({begin, end, kind_});
  }

 private:
  regex::Pattern pattern_;
  std::string kind_;  // the spans' kind views it: the check outlives every span it reports
};

}  // namespace

Result<CheckPtr> MakeRegexCheck(const config::GuardrailConfig& config) {
  auto pattern = regex::Pattern::Compile(config.pattern);
  if (!pattern) return std::move(pattern).error();
  return CheckPtr(std::make_shared<const RegexCheck>(std::move(pattern).value(), config.kind));
}

}  // namespace switchyard::guardrails
