// Secret: a string that holds a credential (provider key, gateway key, admin key). It has no
// formatter and no stream operator, so a key cannot reach a log line or an error message by accident:
// the only way to read it is reveal(), which is greppable.
#pragma once

#include <string>
#include <string_view>
#include <utility>

namespace switchyard {

class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string value) : value_(std::move(value)) {}

  bool empty() const { return value_.empty(); }
  // The credential itself, for the one place that needs it (an upstream header, a key comparison).
  std::string_view reveal() const { return value_; }

 private:
  std::string value_;
};

// Constant-time equality: the time taken depends only on the lengths, never on where the first
// differing byte is, so a client cannot guess a gateway key byte by byte.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace switchyard
