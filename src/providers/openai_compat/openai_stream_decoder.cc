#include "providers/openai_compat/openai_stream_decoder.h"

#include <fmt/format.h>

#include "canonical/json_values.h"
#include "canonical/stream_event_maker.h"
#include "core/strings.h"
#include "providers/openai_compat/openai_error_parser.h"
#include "wire/openai/openai_format.h"
#include "providers/openai_compat/openai_response_decoder.h"
#include "providers/openai_compat/openai_usage.h"

namespace switchyard::providers::openai_compat {
using wire::openai::FinishReasonFromOpenAI;
namespace json = boost::json;
using canonical::Event;
using canonical::StreamEvent;
using canonical::StringField;
using Kind = canonical::StreamEvent::Kind;

namespace {

// The choice with index 0 (or the first one, for hosts that leave out the index).
const json::object* FirstChoice(const json::object& chunk) {
  const json::value* choices = chunk.if_contains("choices");
  if (choices == nullptr || !choices->is_array()) return nullptr;
  for (const json::value& choice : choices->get_array()) {
    const json::object* obj = choice.if_object();
    if (obj == nullptr) continue;
    const json::value* index = obj->if_contains("index");
    if (index == nullptr || !index->is_number() || index->to_number<double>() == 0) return obj;
  }
  return nullptr;
}

}  // namespace

void OpenAIStreamDecoder::Decode(std::string_view, std::string_view data,
                                 std::vector<StreamEvent>& out) {
  const std::string_view text = TrimWhitespace(data);
  if (text == "[DONE]") {
    saw_end_ = true;
    out.push_back(Event(Kind::kEnd));
    return;
  }
  std::optional<json::object> chunk = canonical::ParseObject(text);
  if (!chunk) return;
  if (const json::value* error = chunk->if_contains("error"); error && !error->is_null()) {
    ProviderError parsed = ParseOpenAIError(200, text);
    StreamEvent failure = Event(Kind::kError, parsed.message);
    failure.error_type = parsed.type.empty() ? "api_error" : parsed.type;
    out.push_back(std::move(failure));
    return;
  }
  if (!started_) {
    started_ = true;
    StreamEvent start = Event(Kind::kStart);
    start.response_id = StringField(*chunk, "id");
    start.model = StringField(*chunk, "model");
    start.created = canonical::CountField(*chunk, "created");
    out.push_back(std::move(start));
  }
  if (const json::object* choice = FirstChoice(*chunk)) {
    if (const json::object* delta = canonical::ObjectField(*choice, "delta")) DecodeDelta(*delta, out);
    if (std::string reason = StringField(*choice, "finish_reason"); !reason.empty()) {
      StreamEvent finish = Event(Kind::kFinish);
      finish.finish_reason = FinishReasonFromOpenAI(reason);
      out.push_back(std::move(finish));
    }
  }
  if (const json::value* usage = chunk->if_contains("usage"); usage && usage->is_object()) {
    usage_ = UsageFromJson(*usage);
    StreamEvent event = Event(Kind::kUsage);
    event.usage = usage_;
    out.push_back(std::move(event));
  }
}

void OpenAIStreamDecoder::DecodeDelta(const json::object& delta, std::vector<StreamEvent>& out) {
  if (std::string reasoning = ReasoningText(delta); !reasoning.empty()) {
    out.push_back(Event(Kind::kThinkingDelta, std::move(reasoning)));
  }
  if (std::string content = StringField(delta, "content"); !content.empty()) {
    out.push_back(Event(Kind::kTextDelta, std::move(content)));
  }
  if (std::string refusal = StringField(delta, "refusal"); !refusal.empty()) {
    out.push_back(Event(Kind::kTextDelta, std::move(refusal)));
  }
  const json::value* calls = delta.if_contains("tool_calls");
  if (calls == nullptr || !calls->is_array()) return;
  for (std::size_t i = 0; i < calls->get_array().size(); ++i) {
    if (const json::object* call = calls->get_array()[i].if_object()) DecodeToolCall(*call, i, out);
  }
}

void OpenAIStreamDecoder::DecodeToolCall(const json::object& call, std::size_t position,
                                         std::vector<StreamEvent>& out) {
  const json::value* index_value = call.if_contains("index");
  const std::int64_t index = index_value != nullptr && index_value->is_int64()
                                 ? index_value->get_int64()
                                 : static_cast<std::int64_t>(position);
  const json::object* function = canonical::ObjectField(call, "function");
  auto [found, inserted] =
      tool_ordinals_.try_emplace(index, static_cast<int>(tool_ordinals_.size()));
  const int ordinal = found->second;
  if (inserted) {
    StreamEvent start = Event(Kind::kToolCallStart, {}, ordinal);
    start.tool_call.id = StringField(call, "id");
    if (start.tool_call.id.empty()) start.tool_call.id = fmt::format("call_{}", ordinal);
    if (function != nullptr) start.tool_call.name = StringField(*function, "name");
    out.push_back(std::move(start));
  }
  if (function == nullptr) return;
  if (std::string arguments = StringField(*function, "arguments"); !arguments.empty()) {
    out.push_back(Event(Kind::kToolCallDelta, std::move(arguments), ordinal));
  }
}

}  // namespace switchyard::providers::openai_compat
