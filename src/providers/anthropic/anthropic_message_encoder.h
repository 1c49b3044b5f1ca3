// The conversation part of an Anthropic Messages request, from canonical messages (wire-formats.md
// §6.1–6.3): system prompts hoisted into the top-level `system` (in order, with their
// cache_control), tool results as tool_result blocks at the front of one user turn, consecutive
// same-role turns merged, empty text dropped, tool ids made to fit ^[a-zA-Z0-9_-]+$, thinking
// blocks kept only with an Anthropic signature (an unsigned one, or one another provider's adapter
// signed and marked "origin:signature" such as a Gemini thought signature, would be refused).
//
// Pure functions; safe from any thread.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "canonical/chat.h"
#include "canonical/encoded_request.h"
#include "core/result.h"

namespace switchyard::providers::anthropic {

struct EncodedConversation {
  boost::json::value system;    // a string, an array of text blocks, or null when none
  boost::json::array messages;  // alternating user/assistant turns
  bool has_tool_blocks = false;  // some turn holds tool_use or tool_result
};

// Failure: a 400 naming the message part Anthropic cannot take (e.g. an image type it refuses).
// Harmless leftovers (image detail, participant names, unsigned thinking, ...) go to `dropped`.
Result<EncodedConversation> EncodeConversation(const std::vector<canonical::Message>& messages,
                                               canonical::DroppedParams& dropped);

// `id` if it fits ^[a-zA-Z0-9_-]+$; otherwise the invalid bytes become '_' and a hash of the
// original is appended, so that a call and its result (and distinct ids) still match.
std::string SanitizeToolId(std::string_view id);

}  // namespace switchyard::providers::anthropic
