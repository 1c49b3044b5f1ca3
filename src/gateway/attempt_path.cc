#include "gateway/attempt_path.h"

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
                              wire::Format target) {
  using providers::Operation;
  switch (operation) {
    case Operation::kCountTokens:
      return inbound == wire::Format::kAnthropic && target == wire::Format::kAnthropic
                 ? AttemptPath::kPassthrough
                 : AttemptPath::kTokenEstimate;
    case Operation::kEmbeddings:
      return inbound == target ? AttemptPath::kPassthrough : AttemptPath::kRefused;
    case Operation::kChatCompletions:
      return inbound == target ? AttemptPath::kPassthrough : AttemptPath::kTranslated;
  }
  return AttemptPath::kRefused;
}

}  // namespace switchyard::gateway
