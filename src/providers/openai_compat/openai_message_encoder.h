// The messages array of an OpenAI Chat Completions request, from canonical messages
// (wire-formats.md §1.2, §6.1–6.3): system prompts stay system messages in place (text joined with
// "\n\n"); user parts become text / image_url (URL or data URI) / file parts; assistant turns keep
// text and tool_calls; each tool result becomes one tool message. OpenAI has no place for
// reasoning input, tool-result error flags or cache_control: those are left out and listed.
// Images and documents inside a tool result (tool messages take text only) move to the user
// message that follows that run of tool messages (one is added when none follows).
//
// Pure function; safe from any thread.
#pragma once

#include <boost/json/array.hpp>
#include <vector>

#include "canonical/chat.h"
#include "canonical/encoded_request.h"

namespace switchyard::providers::openai_compat {

boost::json::array EncodeOpenAIMessages(const std::vector<canonical::Message>& messages,
                                        canonical::DroppedParams& dropped);

}  // namespace switchyard::providers::openai_compat
