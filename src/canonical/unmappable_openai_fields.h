// The OpenAI Chat Completions fields no other wire format can honour and that would change the
// answer if left out (more choices, log probabilities, token biases, audio, built-in web search,
// legacy function calling). Every non-OpenAI encoder refuses them with a 400 naming the field;
// this is the one list of them, so the formats cannot drift apart.
#pragma once

#include <boost/json/value.hpp>
#include <optional>
#include <string_view>

namespace switchyard::canonical {

// For an OpenAI client's `key: value` (a member of ChatRequest::extra): nullopt when `key` is not
// one of these fields; an empty text when it is, but its value asks for nothing beyond the default
// (n: 1, logprobs: false, modalities: ["text"], ...: nothing to send, nothing dropped); else why it
// cannot be honoured outside the OpenAI wire format.
std::optional<std::string_view> UnmappableOpenAIField(std::string_view key,
                                                      const boost::json::value& value);

}  // namespace switchyard::canonical
