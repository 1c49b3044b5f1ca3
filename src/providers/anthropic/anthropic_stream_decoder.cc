#include "providers/anthropic/anthropic_stream_decoder.h"

#include <boost/json/serialize.hpp>

#include "canonical/json_values.h"
#include "canonical/stream_event_maker.h"
#include "core/strings.h"
#include "wire/anthropic/anthropic_format.h"
#include "providers/anthropic/anthropic_request_encoder.h"

namespace switchyard::providers::anthropic {
using wire::anthropic::FinishReasonFromAnthropic;
using wire::anthropic::UsageFromAnthropic;
namespace json = boost::json;
using canonical::Event;
using canonical::StreamEvent;
using canonical::StringField;
using Kind = canonical::StreamEvent::Kind;

namespace {

std::int64_t IndexOf(const json::object& event) {
  const json::value* index = event.if_contains("index");
  return index != nullptr && index->is_int64() ? index->get_int64() : -1;
}

}  // namespace

void AnthropicStreamDecoder::Decode(std::string_view event_name, std::string_view data,
                                    std::vector<StreamEvent>& out) {
  if (event_name == "ping") return;
  std::optional<json::object> event = canonical::ParseObject(TrimWhitespace(data));
  if (!event) return;
  const std::string type = event_name.empty() ? StringField(*event, "type") : std::string(event_name);
  if (type == "message_start") {
    OnMessageStart(*event, out);
  } else if (type == "content_block_start") {
    OnBlockStart(*event, out);
  } else if (type == "content_block_delta") {
    OnBlockDelta(*event, out);
  } else if (type == "message_delta") {
    OnMessageDelta(*event, out);
  } else if (type == "message_stop") {
    saw_end_ = true;
    out.push_back(Event(Kind::kEnd));
  } else if (type == "error") {
    OnError(*event, out);
  }
  // content_block_stop, ping and event types added later carry nothing to translate.
}

void AnthropicStreamDecoder::OnMessageStart(const json::object& event,
                                            std::vector<StreamEvent>& out) {
  StreamEvent start = Event(Kind::kStart);
  if (const json::object* message = canonical::ObjectField(event, "message")) {
    start.response_id = StringField(*message, "id");
    start.model = StringField(*message, "model");
    if (const json::object* usage = canonical::ObjectField(*message, "usage")) {
      usage_ = UsageFromAnthropic(*usage, {});
      start.usage = usage_;
    }
  }
  out.push_back(std::move(start));
}

void AnthropicStreamDecoder::OnBlockStart(const json::object& event,
                                          std::vector<StreamEvent>& out) {
  const json::object* block = canonical::ObjectField(event, "content_block");
  if (block == nullptr) return;
  const std::string type = StringField(*block, "type");
  Block& state = blocks_[IndexOf(event)];
  state = Block{};
  if (type == "text") {
    state.kind = BlockKind::kText;
    std::string text = StringField(*block, "text");
    if (!text.empty()) out.push_back(Event(Kind::kTextDelta, std::move(text)));
  } else if (type == "thinking") {
    state.kind = BlockKind::kThinking;
    std::string text = StringField(*block, "thinking");
    if (!text.empty()) out.push_back(Event(Kind::kThinkingDelta, std::move(text)));
  } else if (type == "redacted_thinking") {
    out.push_back(Event(Kind::kRedactedThinking, StringField(*block, "data")));
  } else if (type == "tool_use" && StringField(*block, "name") == kJsonToolName) {
    state.kind = BlockKind::kJsonTool;
    json_tool_seen_ = true;
  } else if (type == "tool_use") {
    state.kind = BlockKind::kTool;
    state.ordinal = next_tool_ordinal_++;
    StreamEvent start = Event(Kind::kToolCallStart, {}, state.ordinal);
    start.tool_call.id = StringField(*block, "id");
    start.tool_call.name = StringField(*block, "name");
    out.push_back(std::move(start));
    // The real input streams as input_json_delta; a non-empty input here (some proxies send the
    // whole call at once) is the complete arguments.
    const json::object* input = canonical::ObjectField(*block, "input");
    if (input != nullptr && !input->empty()) {
      out.push_back(Event(Kind::kToolCallDelta, json::serialize(*input), state.ordinal));
    }
  }
}

void AnthropicStreamDecoder::OnBlockDelta(const json::object& event,
                                          std::vector<StreamEvent>& out) {
  const json::object* delta = canonical::ObjectField(event, "delta");
  auto found = blocks_.find(IndexOf(event));
  if (delta == nullptr || found == blocks_.end()) return;
  const Block& block = found->second;
  const std::string type = StringField(*delta, "type");
  if (type == "text_delta" && block.kind == BlockKind::kText) {
    std::string text = StringField(*delta, "text");
    if (!text.empty()) out.push_back(Event(Kind::kTextDelta, std::move(text)));
  } else if (type == "thinking_delta" && block.kind == BlockKind::kThinking) {
    std::string text = StringField(*delta, "thinking");
    if (!text.empty()) out.push_back(Event(Kind::kThinkingDelta, std::move(text)));
  } else if (type == "signature_delta" && block.kind == BlockKind::kThinking) {
    out.push_back(Event(Kind::kThinkingSignature, StringField(*delta, "signature")));
  } else if (type == "input_json_delta" &&
             (block.kind == BlockKind::kTool || block.kind == BlockKind::kJsonTool)) {
    std::string fragment = StringField(*delta, "partial_json");
    if (fragment.empty()) return;
    out.push_back(block.kind == BlockKind::kTool
                      ? Event(Kind::kToolCallDelta, std::move(fragment), block.ordinal)
                      : Event(Kind::kTextDelta, std::move(fragment)));
  }
  // citations_delta and deltas of ignored blocks have no counterpart.
}

void AnthropicStreamDecoder::OnMessageDelta(const json::object& event,
                                            std::vector<StreamEvent>& out) {
  if (const json::object* delta = canonical::ObjectField(event, "delta")) {
    const json::value* reason = delta->if_contains("stop_reason");
    if (reason != nullptr && reason->is_string()) {
      StreamEvent finish = Event(Kind::kFinish, StringField(*delta, "stop_sequence"));
      finish.finish_reason = FinishReasonFromAnthropic(reason->get_string());
      if (json_tool_seen_ && next_tool_ordinal_ == 0) {
        finish.finish_reason = canonical::FinishReason::kStop;
      }
      out.push_back(std::move(finish));
    }
  }
  if (const json::object* usage = canonical::ObjectField(event, "usage")) {
    usage_ = UsageFromAnthropic(*usage, usage_);
    StreamEvent event_usage = Event(Kind::kUsage);
    event_usage.usage = usage_;
    out.push_back(std::move(event_usage));
  }
}

void AnthropicStreamDecoder::OnError(const json::object& event, std::vector<StreamEvent>& out) {
  const json::object* error = canonical::ObjectField(event, "error");
  StreamEvent failure = Event(Kind::kError);
  if (error != nullptr) {
    failure.text = StringField(*error, "message");
    failure.error_type = StringField(*error, "type");
  }
  if (failure.text.empty()) failure.text = "the provider reported an error inside the stream";
  if (failure.error_type.empty()) failure.error_type = "api_error";
  out.push_back(std::move(failure));
}

}  // namespace switchyard::providers::anthropic
