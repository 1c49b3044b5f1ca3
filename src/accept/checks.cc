// The check registry: one line per check, in the order they run — the cheap ones first, so that
// the reason given is the cheapest one that fails.
#include <array>

#include "accept/accept_check.h"

namespace switchyard::accept {

// Each defined in accept/<name>_check.cc.
Result<CheckPtr> MakeNonEmptyCheck(const config::AcceptConfig& config);
Result<CheckPtr> MakeToolCallCheck(const config::AcceptConfig& config);
Result<CheckPtr> MakeMinLengthCheck(const config::AcceptConfig& config);
Result<CheckPtr> MakeRegexCheck(const config::AcceptConfig& config);
Result<CheckPtr> MakeJsonCheck(const config::AcceptConfig& config);
Result<CheckPtr> MakeJsonSchemaCheck(const config::AcceptConfig& config);

namespace {

constexpr std::array kChecks = {
    CheckRegistration{"non_empty", false, false, MakeNonEmptyCheck},
    CheckRegistration{"tool_call", true, false, MakeToolCallCheck},
    CheckRegistration{"min_length", true, false, MakeMinLengthCheck},
    CheckRegistration{"regex", true, false, MakeRegexCheck},
    CheckRegistration{"json", true, false, MakeJsonCheck},
    CheckRegistration{"json_schema", true, true, MakeJsonSchemaCheck},
};

}  // namespace

std::span<const CheckRegistration> Checks() { return kChecks; }

}  // namespace switchyard::accept
