#include "accept/accept_policy.h"

namespace switchyard::accept {

Result<AcceptPolicy> AcceptPolicy::Compile(const config::AcceptConfig& config) {
  AcceptPolicy policy;
  for (const CheckRegistration& registration : Checks()) {
    Result<CheckPtr> check = registration.make(config);
    if (!check.ok()) return std::move(check).error();
    if (*check == nullptr) continue;
    policy.checks_.push_back({registration.name, std::move(*check)});
    policy.needs_whole_answer_ |= registration.needs_whole_answer;
    policy.needs_schema_ |= registration.needs_schema;
  }
  return policy;
}

std::optional<std::string> AcceptPolicy::Check(const Answer& answer,
                                               const json_schema::Schema* request_schema) const {
  const CheckInput input{answer, request_schema};
  for (const Entry& entry : checks_) {
    if (std::optional<std::string> reason = entry.check->Check(input)) {
      return std::string(entry.name) + ": " + *reason;
    }
  }
  return std::nullopt;
}

}  // namespace switchyard::accept
