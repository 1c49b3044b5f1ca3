#include "canonical/unmappable_openai_fields.h"

#include <algorithm>

namespace switchyard::canonical {

std::optional<std::string_view> UnmappableOpenAIField(std::string_view key,
                                                      const boost::json::value& value) {
  constexpr std::string_view kDefault;
  if (key == "n") {
    if (value.is_number() && value.to_number<double>() == 1) return kDefault;
    return "only one choice can be generated";
  }
  if (key == "logprobs" || key == "top_logprobs") {
    if (value == false || value == 0) return kDefault;
    return "log probabilities are not available";
  }
  if (key == "logit_bias") {
    if (value.is_object() && value.get_object().empty()) return kDefault;
    return "token biases are not supported";
  }
  if (key == "modalities") {
    const boost::json::array* items = value.if_array();
    if (items && std::all_of(items->begin(), items->end(),
                             [](const boost::json::value& m) { return m == "text"; })) {
      return kDefault;
    }
    return "only text output is supported";
  }
  if (key == "audio") return "audio output is not supported";
  if (key == "web_search_options") return "built-in web search is not supported";
  if (key == "functions" || key == "function_call") {
    return "legacy function calling is not translated; use tools and tool_choice";
  }
  return std::nullopt;
}

}  // namespace switchyard::canonical
