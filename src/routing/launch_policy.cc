#include "routing/launch_policy.h"

namespace switchyard::routing {

LaunchPolicy LaunchPolicyOf(const Plan& /*plan*/) { return LaunchPolicy{}; }

}  // namespace switchyard::routing
