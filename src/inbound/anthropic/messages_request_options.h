// Internal to the Anthropic request decoder: the request's parameters besides the conversation
// (sampling, stop sequences, tools, tool_choice, thinking, output_config, metadata, stream).
// Pure function; safe from any thread.
#pragma once

#include <boost/json/object.hpp>

#include "canonical/chat.h"
#include "core/result.h"

namespace switchyard::inbound::anthropic {

// Reads them from the request's top-level object into `request`. Failure: a 400 naming the field.
Status ReadMessagesOptions(const boost::json::object& root, canonical::ChatRequest& request);

}  // namespace switchyard::inbound::anthropic
