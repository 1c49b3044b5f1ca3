// length: the text has at least min_chars and at most max_chars characters (UTF-8 code points).
#include <fmt/format.h>

#include "guardrails/check.h"

namespace switchyard::guardrails {
namespace {

class LengthCheck final : public Check {
 public:
  LengthCheck(std::optional<std::int64_t> min, std::optional<std::int64_t> max)
      : min_(min), max_(max) {}

  std::optional<std::string> JudgeText(std::string_view text) const override {
    std::int64_t length = 0;
    for (char c : text) length += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    if (min_ && length < *min_) return fmt::format("{} characters, at least {} wanted", length, *min_);
    if (max_ && length > *max_) return fmt::format("{} characters, at most {} allowed", length, *max_);
    return std::nullopt;
  }

 private:
  std::optional<std::int64_t> min_, max_;
};

}  // namespace

Result<CheckPtr> MakeLengthCheck(const config::GuardrailConfig& config) {
  return CheckPtr(std::make_shared<const LengthCheck>(config.min_chars, config.max_chars));
}

}  // namespace switchyard::guardrails
