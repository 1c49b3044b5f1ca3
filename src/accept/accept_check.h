// One accept check (accept: in a race or hedge route, CONTRACT.md "Route shapes") and the table
// that registers them (checks.cc). Adding a check means one small file with its Make function and
// one line in that table; AcceptPolicy runs them in the table's order.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "accept/answer.h"
#include "config/config.h"
#include "core/result.h"
#include "json_schema/schema.h"

namespace switchyard::accept {

struct CheckInput {
  const Answer& answer;
  const json_schema::Schema* request_schema;  // the request's output schema, or nullptr
};

class AcceptCheck {
 public:
  virtual ~AcceptCheck() = default;
  // nullopt when the answer passes; else why not, in a few words without the check's name and
  // quoting at most ~100 bytes of the answer. Const and thread-safe: a policy is shared.
  virtual std::optional<std::string> Check(const CheckInput& input) const = 0;
};

using CheckPtr = std::shared_ptr<const AcceptCheck>;

struct CheckRegistration {
  std::string_view name;     // the key under accept:, and the prefix of its reasons
  bool needs_whole_answer;   // false only when the answer's first content settles it
  bool needs_schema;         // whether it reads the request's output schema
  // The check `config` asks for, nullptr when it leaves it off, or a kConfig error.
  Result<CheckPtr> (*make)(const config::AcceptConfig& config);
};

// Every check, in the order they run (cheap first).
std::span<const CheckRegistration> Checks();

}  // namespace switchyard::accept
