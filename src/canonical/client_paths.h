// Where the client wrote a message or a content part (its JSON path in the client's own request),
// for errors that name it. Decoders record the path (Message::path, ContentPart::path); when they
// did not, the canonical position stands in — which differs from the client's for Anthropic
// clients, whose system prompt and tool_result blocks are messages of their own here.
#pragma once

#include <cstddef>
#include <fmt/format.h>
#include <string>

#include "canonical/chat.h"

namespace switchyard::canonical {

// Message `index` of the canonical request.
inline std::string MessagePath(const Message& message, std::size_t index) {
  return message.path.empty() ? fmt::format("messages[{}]", index) : message.path;
}

// Part `index` of the message at `message_path`.
inline std::string PartPath(const ContentPart& part, const std::string& message_path,
                            std::size_t index) {
  return part.path.empty() ? fmt::format("{}.content[{}]", message_path, index) : part.path;
}

}  // namespace switchyard::canonical
