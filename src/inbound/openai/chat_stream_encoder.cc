#include "inbound/openai/chat_stream_encoder.h"

#include <boost/json/serialize.hpp>

#include "inbound/openai/openai_errors.h"
#include "wire/openai/openai_format.h"

namespace switchyard::inbound::openai {
namespace json = boost::json;
using canonical::StreamEvent;
using Kind = canonical::StreamEvent::Kind;

namespace {

void AppendData(const json::object& payload, std::string& out) {
  out.append("data: ").append(json::serialize(payload)).append("\n\n");
}

}  // namespace

ChatStreamEncoder::ChatStreamEncoder(const StreamEncoderOptions& options)
    : options_(options), id_(options.id), model_(options.model) {}

void ChatStreamEncoder::WriteChunk(json::array choices, bool usage_chunk, std::string& out) {
  json::object chunk{{"id", id_},
                     {"object", "chat.completion.chunk"},
                     {"created", options_.created},
                     {"model", model_},
                     {"choices", std::move(choices)}};
  if (options_.include_usage) {
    chunk["usage"] = usage_chunk ? json::value(wire::openai::UsageToOpenAI(usage_))
                                 : json::value(nullptr);
  }
  AppendData(chunk, out);
}

void ChatStreamEncoder::WriteDelta(json::object delta, std::string& out) {
  WriteChunk(json::array{json::object{{"index", 0},
                                      {"delta", std::move(delta)},
                                      {"logprobs", nullptr},
                                      {"finish_reason", nullptr}}},
             false, out);
}

void ChatStreamEncoder::Start(const StreamEvent* event, std::string& out) {
  if (started_) return;
  started_ = true;
  if (event != nullptr && !event->response_id.empty()) id_ = event->response_id;
  if (event != nullptr && !event->model.empty()) model_ = event->model;
  if (event != nullptr && event->usage.reported) usage_ = event->usage;
  WriteDelta(json::object{{"role", "assistant"}, {"content", ""}, {"refusal", nullptr}}, out);
}

void ChatStreamEncoder::WriteToolStart(const StreamEvent& event, std::string& out) {
  saw_tool_calls_ = true;
  json::object call{{"index", event.index},
                    {"id", event.tool_call.id},
                    {"type", "function"},
                    {"function", json::object{{"name", event.tool_call.name},
                                              {"arguments", event.tool_call.arguments_json}}}};
  WriteDelta(json::object{{"tool_calls", json::array{std::move(call)}}}, out);
}

void ChatStreamEncoder::AddThinkingBlock(json::object block, std::string& out) {
  thinking_blocks_.push_back(std::move(block));
  thinking_.clear();
  WriteDelta(json::object{{"thinking_blocks", thinking_blocks_}}, out);
}

void ChatStreamEncoder::WriteFinish(canonical::FinishReason reason, std::string& out) {
  if (finish_sent_) return;
  finish_sent_ = true;
  WriteChunk(json::array{json::object{
                 {"index", 0},
                 {"delta", json::object()},
                 {"logprobs", nullptr},
                 {"finish_reason", wire::openai::FinishReasonToOpenAI(reason)}}},
             false, out);
}

void ChatStreamEncoder::Encode(const StreamEvent& event, std::string& out) {
  if (closed_) return;
  if (event.kind == Kind::kError) {
    Error error = Error::UpstreamProtocol(event.text);
    error.type = event.error_type;
    Fail(error, out);
    return;
  }
  if (event.kind == Kind::kUsage) {
    usage_ = event.usage;
    return;
  }
  if (event.kind == Kind::kEnd) return;  // Finish writes the end
  Start(event.kind == Kind::kStart ? &event : nullptr, out);
  switch (event.kind) {
    case Kind::kTextDelta:
      if (!event.text.empty() && !finish_sent_) WriteDelta(json::object{{"content", event.text}}, out);
      break;
    case Kind::kThinkingDelta:
      if (event.text.empty() || finish_sent_) break;
      thinking_ += event.text;
      WriteDelta(json::object{{"reasoning_content", event.text}}, out);
      break;
    case Kind::kThinkingSignature:
      AddThinkingBlock(json::object{{"type", "thinking"}, {"thinking", thinking_},
                                    {"signature", event.text}}, out);
      break;
    case Kind::kRedactedThinking:
      AddThinkingBlock(json::object{{"type", "redacted_thinking"}, {"data", event.text}}, out);
      break;
    case Kind::kToolCallStart:
      if (!finish_sent_) WriteToolStart(event, out);
      break;
    case Kind::kToolCallDelta:
      if (event.text.empty() || finish_sent_) break;
      WriteDelta(json::object{{"tool_calls", json::array{json::object{
                                   {"index", event.index},
                                   {"function", json::object{{"arguments", event.text}}}}}}},
                 out);
      break;
    case Kind::kFinish:
      WriteFinish(event.finish_reason, out);
      break;
    default:
      break;
  }
}

void ChatStreamEncoder::Finish(std::string& out, std::string_view trailer) {
  if (closed_) return;
  closed_ = true;
  Start(nullptr, out);
  WriteFinish(saw_tool_calls_ ? canonical::FinishReason::kToolCalls : canonical::FinishReason::kStop,
              out);
  if (options_.include_usage) WriteChunk(json::array(), true, out);
  out.append(trailer);
  out.append("data: [DONE]\n\n");
}

void ChatStreamEncoder::Fail(const Error& error, std::string& out) {
  if (closed_) return;
  closed_ = true;
  failed_ = true;
  out.append(FormatStreamError(error));
}

}  // namespace switchyard::inbound::openai
