#include "providers/openai_compat/openai_response_decoder.h"

#include "canonical/json_values.h"
#include "providers/openai_compat/openai_error_parser.h"
#include "wire/openai/openai_format.h"
#include "providers/openai_compat/openai_usage.h"

namespace switchyard::providers::openai_compat {
using wire::openai::FinishReasonFromOpenAI;
namespace json = boost::json;
using canonical::ContentPart;
using canonical::StringField;

namespace {

ContentPart Text(std::string text) {
  ContentPart part;
  part.text = std::move(text);
  return part;
}

// content: a string, or (some hosts) an array of text parts.
void AddContent(const json::object& message, canonical::Message& out) {
  const json::value* content = message.if_contains("content");
  if (content == nullptr) return;
  if (content->is_string()) {
    if (!content->get_string().empty()) out.content.push_back(Text(std::string(content->get_string())));
    return;
  }
  if (const json::array* parts = content->if_array()) {
    for (const json::value& part : *parts) {
      const json::object* obj = part.if_object();
      if (obj != nullptr && StringField(*obj, "type") == "text") {
        out.content.push_back(Text(StringField(*obj, "text")));
      }
    }
  }
}

void AddToolCalls(const json::object& message, canonical::Message& out) {
  const json::value* calls = message.if_contains("tool_calls");
  if (calls == nullptr || !calls->is_array()) return;
  for (const json::value& call : calls->get_array()) {
    const json::object* obj = call.if_object();
    const json::object* function = obj ? canonical::ObjectField(*obj, "function") : nullptr;
    if (function == nullptr) continue;
    out.tool_calls.push_back({StringField(*obj, "id"), StringField(*function, "name"),
                              StringField(*function, "arguments")});
  }
}

}  // namespace

std::string ReasoningText(const json::object& message) {
  std::string text = StringField(message, "reasoning_content");
  return text.empty() ? StringField(message, "reasoning") : text;
}

Result<canonical::ChatResponse> DecodeOpenAIResponse(std::string_view body) {
  std::optional<json::object> root = canonical::ParseObject(body);
  if (root && root->contains("error")) {
    return Error::UpstreamProtocol("the provider reported an error: " +
                                   ParseOpenAIError(200, body).message);
  }
  const json::value* choices = root ? root->if_contains("choices") : nullptr;
  if (choices == nullptr || !choices->is_array() || choices->get_array().empty() ||
      !choices->get_array()[0].is_object()) {
    return Error::UpstreamProtocol("the provider's answer is not a chat completion");
  }
  const json::object& choice = choices->get_array()[0].get_object();
  canonical::ChatResponse response;
  response.id = StringField(*root, "id");
  response.model = StringField(*root, "model");
  response.created = canonical::CountField(*root, "created");
  response.message.role = canonical::Role::kAssistant;
  if (const json::object* message = canonical::ObjectField(choice, "message")) {
    if (std::string reasoning = ReasoningText(*message); !reasoning.empty()) {
      ContentPart part;
      part.kind = ContentPart::Kind::kThinking;
      part.text = std::move(reasoning);
      response.message.content.push_back(std::move(part));
    }
    AddContent(*message, response.message);
    if (std::string refusal = StringField(*message, "refusal"); !refusal.empty()) {
      response.message.content.push_back(Text(std::move(refusal)));
    }
    AddToolCalls(*message, response.message);
  }
  response.finish_reason = FinishReasonFromOpenAI(StringField(choice, "finish_reason"));
  if (const json::value* usage = root->if_contains("usage")) response.usage = UsageFromJson(*usage);
  return response;
}

}  // namespace switchyard::providers::openai_compat
