#include "gateway/attempt_path.h"

#include <fmt/format.h>

namespace switchyard::gateway {

std::string_view ToString(AttemptPath path) {
  switch (path) {
    case AttemptPath::kPassthrough: return "passthrough";
    case AttemptPath::kTranslated: return "translated";
    case AttemptPath::kTokenEstimate: return "token_estimate";
    case AttemptPath::kRefused: return "refused";
  }
  return "refused";
}

AttemptPath DecideAttemptPath(providers::Operation operation, wire::Format inbound,
                              wire::Format target, bool through_canonical) {
  using providers::Operation;
  switch (operation) {
    case Operation::kCountTokens:
      return inbound == wire::Format::kAnthropic && target == wire::Format::kAnthropic
                 ? AttemptPath::kPassthrough
                 : AttemptPath::kTokenEstimate;
    case Operation::kEmbeddings:
      return inbound == target ? AttemptPath::kPassthrough : AttemptPath::kRefused;
    case Operation::kChatCompletions:
      return inbound == target && !through_canonical ? AttemptPath::kPassthrough
                                                     : AttemptPath::kTranslated;
  }
  return AttemptPath::kRefused;
}

Result<PlanPaths> PathsOfPlan(const routing::Plan& plan, providers::Operation operation,
                              wire::Format inbound, std::string_view requested_model,
                              bool through_canonical) {
  PlanPaths paths;
  for (const routing::PlannedTarget* leaf : plan.Leaves()) {
    const wire::Format format = leaf->provider->adapter->wire_format();
    switch (DecideAttemptPath(operation, inbound, format, through_canonical)) {
      case AttemptPath::kPassthrough:
      case AttemptPath::kTokenEstimate:
        break;
      case AttemptPath::kTranslated:
        paths.translates = true;
        break;
      case AttemptPath::kRefused:
        return Error::InvalidRequest(
            fmt::format("model '{}' is served by provider '{}' in the {} wire format, which has "
                        "no embeddings here",
                        requested_model, leaf->provider->config->name, wire::ToString(format)),
            "model");
    }
  }
  return paths;
}

}  // namespace switchyard::gateway
