#include "providers/gemini/gemini_response_decoder.h"

#include "canonical/json_values.h"
#include "wire/gemini/gemini_format.h"

namespace switchyard::providers::gemini {
using wire::gemini::CandidateParts;
using wire::gemini::FinishReasonFromGemini;
using wire::gemini::FirstCandidate;
using wire::gemini::MarkSignature;
using wire::gemini::PartView;
using wire::gemini::ReadPart;
using wire::gemini::SynthesizeCallId;
using wire::gemini::UsageFromGemini;
namespace json = boost::json;
using canonical::ContentPart;
using canonical::StringField;

namespace {

ContentPart Thinking(std::string text, std::string_view signature) {
  ContentPart part;
  part.kind = ContentPart::Kind::kThinking;
  part.text = std::move(text);
  if (!signature.empty()) part.data = MarkSignature(signature);
  return part;
}

void AddPart(const json::object& part, std::string_view response_id, canonical::Message& message) {
  PartView view = ReadPart(part);
  if (view.kind == PartView::Kind::kThought) {
    if (!view.text.empty() || !view.signature.empty()) {
      message.content.push_back(Thinking(std::move(view.text), view.signature));
    }
    return;
  }
  if (!view.signature.empty()) message.content.push_back(Thinking({}, view.signature));
  if (view.kind == PartView::Kind::kText && !view.text.empty()) {
    ContentPart text;
    text.text = std::move(view.text);
    message.content.push_back(std::move(text));
  } else if (view.kind == PartView::Kind::kFunctionCall) {
    const int ordinal = static_cast<int>(message.tool_calls.size());
    std::string id = view.call_id.empty() ? SynthesizeCallId(response_id, ordinal) : view.call_id;
    message.tool_calls.push_back({std::move(id), std::move(view.call_name), std::move(view.call_args)});
  }
}

bool IsGeminiResponse(const json::object& root) {
  const json::value* candidates = root.if_contains("candidates");
  if (candidates != nullptr) return candidates->is_array();
  return canonical::ObjectField(root, "promptFeedback") != nullptr;
}

}  // namespace

Result<canonical::ChatResponse> DecodeGeminiResponse(std::string_view body) {
  std::optional<json::object> root = canonical::ParseObject(body);
  if (root && root->contains("error")) {
    const json::object* error = canonical::ObjectField(*root, "error");
    const std::string message = error != nullptr ? StringField(*error, "message") : std::string();
    return Error::UpstreamProtocol("the provider answered with an error: " +
                                   (message.empty() ? std::string("(no message)") : message));
  }
  if (!root || !IsGeminiResponse(*root)) {
    return Error::UpstreamProtocol("the provider's answer is not a Gemini response");
  }
  canonical::ChatResponse response;
  response.id = StringField(*root, "responseId");
  response.model = StringField(*root, "modelVersion");
  response.message.role = canonical::Role::kAssistant;
  const json::object* candidate = FirstCandidate(*root);
  if (candidate == nullptr) {
    // No candidate: the prompt was blocked (promptFeedback.blockReason), or nothing came back.
    const json::object* feedback = canonical::ObjectField(*root, "promptFeedback");
    const bool blocked = feedback != nullptr && !StringField(*feedback, "blockReason").empty();
    response.finish_reason =
        blocked ? canonical::FinishReason::kContentFilter : canonical::FinishReason::kUnknown;
  } else {
    if (const json::array* parts = CandidateParts(*candidate)) {
      for (const json::value& part : *parts) {
        if (const json::object* obj = part.if_object()) AddPart(*obj, response.id, response.message);
      }
    }
    response.finish_reason = FinishReasonFromGemini(StringField(*candidate, "finishReason"),
                                                    !response.message.tool_calls.empty());
  }
  if (const json::object* usage = canonical::ObjectField(*root, "usageMetadata")) {
    response.usage = UsageFromGemini(*usage);
  }
  return response;
}

}  // namespace switchyard::providers::gemini
