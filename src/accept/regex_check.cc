// regex: the pattern matches somewhere in the text (regex/: linear time, whatever the pattern).
#include "accept/accept_check.h"
#include "regex/pattern.h"

namespace switchyard::accept {
namespace {

class RegexCheck final : public AcceptCheck {
 public:
  explicit RegexCheck(regex::Pattern pattern) : pattern_(std::move(pattern)) {}

  std::optional<std::string> Check(const CheckInput& input) const override {
    if (pattern_.Search(input.answer.text)) return std::nullopt;
    return "no match";
  }

 private:
  regex::Pattern pattern_;
};

}  // namespace

Result<CheckPtr> MakeRegexCheck(const config::AcceptConfig& config) {
  if (!config.regex) return CheckPtr();
  Result<regex::Pattern> pattern = regex::Pattern::Compile(*config.regex);
  if (!pattern.ok()) return std::move(pattern).error();
  return CheckPtr(std::make_shared<const RegexCheck>(std::move(*pattern)));
}

}  // namespace switchyard::accept
