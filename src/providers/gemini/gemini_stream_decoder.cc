#include "providers/gemini/gemini_stream_decoder.h"

#include "canonical/json_values.h"
#include "canonical/stream_event_maker.h"
#include "core/strings.h"
#include "providers/gemini/gemini_error_parser.h"
#include "wire/gemini/gemini_format.h"

namespace switchyard::providers::gemini {
using wire::gemini::CandidateParts;
using wire::gemini::FinishReasonFromGemini;
using wire::gemini::FirstCandidate;
using wire::gemini::MarkSignature;
using wire::gemini::ParseGeminiObject;
using wire::gemini::PartView;
using wire::gemini::ReadPart;
using wire::gemini::SynthesizeCallId;
using wire::gemini::UsageFromGemini;
namespace json = boost::json;
using canonical::Event;
using canonical::StreamEvent;
using canonical::StringField;
using Kind = canonical::StreamEvent::Kind;

namespace {

StreamEvent ErrorEvent(std::string_view data) {
  const ProviderError parsed = ParseGeminiError(200, data);
  StreamEvent failure = Event(Kind::kError, parsed.message);
  failure.error_type = parsed.type;
  return failure;
}

bool PromptBlocked(const json::object& chunk) {
  const json::object* feedback = canonical::ObjectField(chunk, "promptFeedback");
  return feedback != nullptr && !StringField(*feedback, "blockReason").empty();
}

}  // namespace

void GeminiStreamDecoder::Decode(std::string_view, std::string_view data,
                                 std::vector<StreamEvent>& out) {
  const std::string_view text = TrimWhitespace(data);
  std::optional<json::object> chunk = ParseGeminiObject(text);
  if (!chunk) return;
  if (const json::value* error = chunk->if_contains("error"); error && !error->is_null()) {
    out.push_back(ErrorEvent(text));
    return;
  }
  if (!started_) OnStart(*chunk, out);
  bool ends = false;
  if (const json::object* candidate = FirstCandidate(*chunk); candidate && !finished_) {
    if (const json::array* parts = CandidateParts(*candidate)) {
      for (const json::value& part : *parts) {
        if (const json::object* obj = part.if_object()) OnPart(*obj, out);
      }
    }
    const std::string reason = StringField(*candidate, "finishReason");
    if (!reason.empty()) {
      OnFinish(FinishReasonFromGemini(reason, next_tool_ordinal_ > 0), out);
      ends = true;
    }
  } else if (!finished_ && candidate == nullptr && PromptBlocked(*chunk)) {
    OnFinish(canonical::FinishReason::kContentFilter, out);
    ends = true;
  }
  if (const json::object* usage = canonical::ObjectField(*chunk, "usageMetadata")) {
    OnUsage(*usage, out);
  }
  if (ends) {
    saw_end_ = true;
    out.push_back(Event(Kind::kEnd));
  }
}

void GeminiStreamDecoder::OnStart(const json::object& chunk, std::vector<StreamEvent>& out) {
  started_ = true;
  response_id_ = StringField(chunk, "responseId");
  StreamEvent start = Event(Kind::kStart);
  start.response_id = response_id_;
  start.model = StringField(chunk, "modelVersion");
  if (const json::object* usage = canonical::ObjectField(chunk, "usageMetadata")) {
    start.usage = UsageFromGemini(*usage);
  }
  out.push_back(std::move(start));
}

void GeminiStreamDecoder::OnPart(const json::object& part, std::vector<StreamEvent>& out) {
  PartView view = ReadPart(part);
  const bool thought = view.kind == PartView::Kind::kThought;
  if (thought && !view.text.empty()) out.push_back(Event(Kind::kThinkingDelta, std::move(view.text)));
  if (!view.signature.empty()) {
    out.push_back(Event(Kind::kThinkingSignature, MarkSignature(view.signature)));
  }
  if (view.kind == PartView::Kind::kText && !view.text.empty()) {
    out.push_back(Event(Kind::kTextDelta, std::move(view.text)));
  } else if (view.kind == PartView::Kind::kFunctionCall) {
    const int ordinal = next_tool_ordinal_++;
    StreamEvent start = Event(Kind::kToolCallStart, {}, ordinal);
    start.tool_call.id =
        view.call_id.empty() ? SynthesizeCallId(response_id_, ordinal) : std::move(view.call_id);
    start.tool_call.name = std::move(view.call_name);
    start.tool_call.arguments_json = std::move(view.call_args);
    out.push_back(std::move(start));
  }
}

void GeminiStreamDecoder::OnFinish(canonical::FinishReason reason, std::vector<StreamEvent>& out) {
  finished_ = true;
  StreamEvent finish = Event(Kind::kFinish);
  finish.finish_reason = reason;
  out.push_back(std::move(finish));
}

void GeminiStreamDecoder::OnUsage(const json::object& usage_metadata, std::vector<StreamEvent>& out) {
  usage_ = UsageFromGemini(usage_metadata);
  StreamEvent event = Event(Kind::kUsage);
  event.usage = usage_;
  out.push_back(std::move(event));
}

}  // namespace switchyard::providers::gemini
