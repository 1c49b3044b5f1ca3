// min_length: at least N characters (Unicode code points) of text, whitespace included.
#include <fmt/format.h>

#include "accept/accept_check.h"

namespace switchyard::accept {
namespace {

class MinLengthCheck final : public AcceptCheck {
 public:
  explicit MinLengthCheck(std::int64_t min) : min_(min) {}

  std::optional<std::string> Check(const CheckInput& input) const override {
    std::int64_t length = 0;
    for (char c : input.answer.text) length += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    if (length >= min_) return std::nullopt;
    return fmt::format("{} characters, at least {} wanted", length, min_);
  }

 private:
  std::int64_t min_;
};

}  // namespace

Result<CheckPtr> MakeMinLengthCheck(const config::AcceptConfig& config) {
  if (config.min_length <= 0) return CheckPtr();
  return CheckPtr(std::make_shared<const MinLengthCheck>(config.min_length));
}

}  // namespace switchyard::accept
