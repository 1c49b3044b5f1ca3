#include "inbound/anthropic/messages_stream_encoder.h"

#include <boost/json/serialize.hpp>

#include "inbound/anthropic/anthropic_errors.h"
#include "wire/anthropic/anthropic_format.h"

namespace switchyard::inbound::anthropic {
namespace json = boost::json;
using canonical::StreamEvent;
using Kind = canonical::StreamEvent::Kind;

namespace {

void WriteEvent(std::string_view name, const json::object& data, std::string& out) {
  out.append("event: ").append(name).append("\ndata: ").append(json::serialize(data)).append("\n\n");
}

}  // namespace

void MessagesStreamEncoder::JsonProgress::Feed(std::string_view fragment) {
  for (char c : fragment) {
    if (in_string_) {
      if (escaped_) escaped_ = false;
      else if (c == '\\') escaped_ = true;
      else if (c == '"') in_string_ = false;
    } else if (c == '"') {
      in_string_ = true;
    } else if (c == '{' || c == '[') {
      ++depth_;
      started_ = true;
    } else if (c == '}' || c == ']') {
      --depth_;
    }
  }
}

MessagesStreamEncoder::MessagesStreamEncoder(const StreamEncoderOptions& options)
    : options_(options) {}

void MessagesStreamEncoder::Start(const StreamEvent* event, std::string& out) {
  if (started_) return;
  started_ = true;
  const bool has_usage = event != nullptr && event->usage.reported;
  if (has_usage) {
    usage_ = event->usage;
  } else if (!usage_.reported) {
    usage_.input_tokens = options_.input_tokens_estimate;
  }
  json::object message{
      {"id", event != nullptr && !event->response_id.empty() ? event->response_id : options_.id},
      {"type", "message"},
      {"role", "assistant"},
      {"model", event != nullptr && !event->model.empty() ? event->model : options_.model},
      {"content", json::array()},
      {"stop_reason", nullptr},
      {"stop_sequence", nullptr},
      {"usage", wire::anthropic::UsageToAnthropic(usage_, true)}};
  WriteEvent("message_start", json::object{{"type", "message_start"}, {"message", std::move(message)}},
             out);
}

void MessagesStreamEncoder::OpenBlock(Open kind, json::object content_block, std::string& out) {
  CloseBlock(out);
  WriteEvent("content_block_start",
             json::object{{"type", "content_block_start"},
                          {"index", next_index_},
                          {"content_block", std::move(content_block)}},
             out);
  open_ = kind;
}

void MessagesStreamEncoder::CloseBlock(std::string& out) {
  if (open_ == Open::kNone) return;
  WriteEvent("content_block_stop", json::object{{"type", "content_block_stop"}, {"index", next_index_}},
             out);
  ++next_index_;
  if (open_ == Open::kTool) {
    tools_.erase(active_tool_);
    active_tool_ = -1;
  }
  open_ = Open::kNone;
}

void MessagesStreamEncoder::WriteBlockDelta(json::object delta, std::string& out) {
  WriteEvent("content_block_delta",
             json::object{{"type", "content_block_delta"},
                          {"index", next_index_},
                          {"delta", std::move(delta)}},
             out);
}

void MessagesStreamEncoder::OpenTextLike(Open kind, std::string& out) {
  if (open_ == kind && !(kind == Open::kThinking && thinking_signed_)) return;
  FlushTools(out);
  OpenBlock(kind,
            kind == Open::kText
                ? json::object{{"type", "text"}, {"text", ""}}
                : json::object{{"type", "thinking"}, {"thinking", ""}, {"signature", ""}},
            out);
  thinking_signed_ = false;
}

void MessagesStreamEncoder::OnThinkingSignature(const std::string& signature, std::string& out) {
  OpenTextLike(Open::kThinking, out);
  WriteBlockDelta(json::object{{"type", "signature_delta"}, {"signature", signature}}, out);
  thinking_signed_ = true;
}

void MessagesStreamEncoder::ActivateTool(int ordinal, std::string& out) {
  Tool& tool = tools_[ordinal];
  OpenBlock(Open::kTool,
            json::object{{"type", "tool_use"},
                         {"id", tool.id},
                         {"name", tool.name},
                         {"input", json::object()}},
            out);
  active_tool_ = ordinal;
  if (tool.pending.empty()) return;
  WriteBlockDelta(json::object{{"type", "input_json_delta"}, {"partial_json", tool.pending}}, out);
  tool.progress.Feed(tool.pending);
  tool.pending.clear();
}

// Moves on to the next waiting call once the open one's arguments are complete.
void MessagesStreamEncoder::AdvanceTools(std::string& out) {
  while (!waiting_tools_.empty() &&
         (active_tool_ == -1 || tools_[active_tool_].progress.complete())) {
    const int next = waiting_tools_.front();
    waiting_tools_.pop_front();
    ActivateTool(next, out);  // closes the open block first
  }
}

// Closes the open call and gives every waiting one its block, in order.
void MessagesStreamEncoder::FlushTools(std::string& out) {
  if (active_tool_ == -1 && waiting_tools_.empty()) return;
  while (!waiting_tools_.empty()) {
    const int next = waiting_tools_.front();
    waiting_tools_.pop_front();
    ActivateTool(next, out);
  }
  CloseBlock(out);
}

void MessagesStreamEncoder::OnToolStart(const StreamEvent& event, std::string& out) {
  saw_tool_calls_ = true;
  if (tools_.contains(event.index) || event.index < 0) return;  // a repeated start
  Tool& tool = tools_[event.index];
  tool.id = event.tool_call.id;
  tool.name = event.tool_call.name;
  tool.pending = event.tool_call.arguments_json;
  if (active_tool_ == -1) {
    ActivateTool(event.index, out);
    return;
  }
  waiting_tools_.push_back(event.index);
  AdvanceTools(out);
}

void MessagesStreamEncoder::OnToolDelta(const StreamEvent& event, std::string& out) {
  auto found = tools_.find(event.index);
  if (event.text.empty() || found == tools_.end()) return;  // unknown, or its block is closed
  if (event.index == active_tool_) {
    WriteBlockDelta(json::object{{"type", "input_json_delta"}, {"partial_json", event.text}}, out);
    found->second.progress.Feed(event.text);
  } else {
    found->second.pending += event.text;
  }
  AdvanceTools(out);
}

void MessagesStreamEncoder::Encode(const StreamEvent& event, std::string& out) {
  if (closed_) return;
  switch (event.kind) {
    case Kind::kError: {
      Error error = Error::UpstreamProtocol(event.text);
      error.type = event.error_type;
      Fail(error, out);
      return;
    }
    case Kind::kUsage: usage_ = event.usage; return;
    case Kind::kEnd: return;  // Finish writes the end
    default: break;
  }
  Start(event.kind == Kind::kStart ? &event : nullptr, out);
  switch (event.kind) {
    case Kind::kTextDelta:
    case Kind::kThinkingDelta: {
      if (event.text.empty() || saw_finish_) break;
      const bool text = event.kind == Kind::kTextDelta;
      OpenTextLike(text ? Open::kText : Open::kThinking, out);
      WriteBlockDelta(text ? json::object{{"type", "text_delta"}, {"text", event.text}}
                           : json::object{{"type", "thinking_delta"}, {"thinking", event.text}},
                      out);
      break;
    }
    case Kind::kThinkingSignature:
      if (!saw_finish_) OnThinkingSignature(event.text, out);
      break;
    case Kind::kRedactedThinking:
      if (saw_finish_) break;
      FlushTools(out);
      OpenBlock(Open::kThinking, json::object{{"type", "redacted_thinking"}, {"data", event.text}}, out);
      CloseBlock(out);
      break;
    case Kind::kToolCallStart:
      if (!saw_finish_) OnToolStart(event, out);
      break;
    case Kind::kToolCallDelta:
      if (!saw_finish_) OnToolDelta(event, out);
      break;
    case Kind::kFinish:
      if (saw_finish_) break;
      saw_finish_ = true;
      finish_reason_ = event.finish_reason;
      stop_sequence_ = event.text;
      FlushTools(out);
      CloseBlock(out);
      break;
    default:
      break;
  }
}

void MessagesStreamEncoder::Finish(std::string& out, std::string_view trailer) {
  if (closed_) return;
  closed_ = true;
  Start(nullptr, out);
  FlushTools(out);
  CloseBlock(out);
  const canonical::FinishReason reason =
      saw_finish_ ? finish_reason_
                  : (saw_tool_calls_ ? canonical::FinishReason::kToolCalls
                                     : canonical::FinishReason::kStop);
  json::object delta{
      {"stop_reason", wire::anthropic::FinishReasonToAnthropic(reason, !stop_sequence_.empty())},
      {"stop_sequence", stop_sequence_.empty() ? json::value(nullptr) : json::value(stop_sequence_)}};
  WriteEvent("message_delta",
             json::object{{"type", "message_delta"},
                          {"delta", std::move(delta)},
                          {"usage", wire::anthropic::UsageToAnthropic(usage_, false)}},
             out);
  out.append(trailer);
  WriteEvent("message_stop", json::object{{"type", "message_stop"}}, out);
}

void MessagesStreamEncoder::Fail(const Error& error, std::string& out) {
  if (closed_) return;
  closed_ = true;
  failed_ = true;
  out.append(FormatStreamError(error));
}

}  // namespace switchyard::inbound::anthropic
