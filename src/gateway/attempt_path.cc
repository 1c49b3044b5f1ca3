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

AttemptPath DecideAttemptPath(providers::Operation operation, providers::WireFormat inbound,
                              providers::WireFormat target) {
  using providers::Operation;
  using providers::WireFormat;
  switch (operation) {
    case Operation::kCountTokens:
      return inbound == WireFormat::kAnthropic && target == WireFormat::kAnthropic
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
