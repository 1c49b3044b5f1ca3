#include "providers/anthropic/anthropic_response_decoder.h"

#include <boost/json/serialize.hpp>

#include "canonical/json_values.h"
#include "wire/anthropic/anthropic_format.h"
#include "providers/anthropic/anthropic_request_encoder.h"

namespace switchyard::providers::anthropic {
using wire::anthropic::FinishReasonFromAnthropic;
using wire::anthropic::UsageFromAnthropic;
namespace json = boost::json;
using canonical::ContentPart;
using canonical::StringField;

namespace {

ContentPart Text(std::string text) {
  ContentPart part;
  part.text = std::move(text);
  return part;
}

// Adds one response block to `message`; returns true when it was the json_object tool.
bool AddBlock(const json::object& block, canonical::Message& message) {
  const std::string type = StringField(block, "type");
  if (type == "text") {
    message.content.push_back(Text(StringField(block, "text")));
  } else if (type == "thinking") {
    ContentPart part;
    part.kind = ContentPart::Kind::kThinking;
    part.text = StringField(block, "thinking");
    part.data = StringField(block, "signature");
    message.content.push_back(std::move(part));
  } else if (type == "redacted_thinking") {
    ContentPart part;
    part.kind = ContentPart::Kind::kRedactedThinking;
    part.data = StringField(block, "data");
    message.content.push_back(std::move(part));
  } else if (type == "tool_use") {
    const json::value* input = block.if_contains("input");
    std::string arguments = input != nullptr ? json::serialize(*input) : "{}";
    if (StringField(block, "name") == kJsonToolName) {
      message.content.push_back(Text(std::move(arguments)));
      return true;
    }
    message.tool_calls.push_back(
        {StringField(block, "id"), StringField(block, "name"), std::move(arguments)});
  }
  return false;
}

}  // namespace

Result<canonical::ChatResponse> DecodeAnthropicResponse(std::string_view body) {
  std::optional<json::object> root = canonical::ParseObject(body);
  const json::value* content = root ? root->if_contains("content") : nullptr;
  if (content == nullptr || !content->is_array()) {
    return Error::UpstreamProtocol("the provider's answer is not an Anthropic message");
  }
  canonical::ChatResponse response;
  response.id = StringField(*root, "id");
  response.model = StringField(*root, "model");
  response.message.role = canonical::Role::kAssistant;
  bool json_tool = false;
  for (const json::value& block : content->get_array()) {
    if (const json::object* obj = block.if_object()) json_tool |= AddBlock(*obj, response.message);
  }
  response.finish_reason = FinishReasonFromAnthropic(StringField(*root, "stop_reason"));
  if (json_tool && response.message.tool_calls.empty()) {
    response.finish_reason = canonical::FinishReason::kStop;
  }
  response.stop_sequence = StringField(*root, "stop_sequence");
  if (const json::object* usage = canonical::ObjectField(*root, "usage")) {
    response.usage = UsageFromAnthropic(*usage, {});
  }
  return response;
}

}  // namespace switchyard::providers::anthropic
