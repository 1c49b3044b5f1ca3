#include "inbound/openai/chat_codec.h"

#include <boost/json/serialize.hpp>

#include "inbound/openai/chat_request_decoder.h"
#include "inbound/openai/chat_stream_encoder.h"
#include "inbound/openai/openai_errors.h"
#include "wire/openai/openai_format.h"

namespace switchyard::inbound::openai {
namespace json = boost::json;
namespace oa = wire::openai;

Result<canonical::ChatRequest> ChatCodec::DecodeRequest(std::string_view body) const {
  return DecodeChatRequest(body);
}

std::string ChatCodec::EncodeResponse(const canonical::ChatResponse& response) const {
  const canonical::Message& message = response.message;
  json::object out_message{{"role", "assistant"}};
  const std::string text = oa::JoinText(message.content);
  out_message["content"] =
      text.empty() && !message.tool_calls.empty() ? json::value(nullptr) : json::value(text);
  out_message["refusal"] = nullptr;
  if (!message.tool_calls.empty()) out_message["tool_calls"] = oa::ToolCallsToOpenAI(message.tool_calls);
  oa::AddReasoning(message.content, out_message);
  json::object choice{{"index", 0},
                      {"message", std::move(out_message)},
                      {"logprobs", nullptr},
                      {"finish_reason", oa::FinishReasonToOpenAI(response.finish_reason)}};
  json::object body{{"id", response.id},
                    {"object", "chat.completion"},
                    {"created", response.created},
                    {"model", response.model},
                    {"choices", json::array{std::move(choice)}},
                    {"usage", oa::UsageToOpenAI(response.usage)}};
  return json::serialize(body);
}

std::unique_ptr<StreamEncoder> ChatCodec::NewStreamEncoder(
    const StreamEncoderOptions& options) const {
  return std::make_unique<ChatStreamEncoder>(options);
}

std::string ChatCodec::FormatError(const Error& error) const { return FormatErrorBody(error); }

std::string ChatCodec::FormatStreamError(const Error& error) const {
  return openai::FormatStreamError(error);
}

int ChatCodec::ClientStatus(int status) const { return ClientStatusFor(status); }

}  // namespace switchyard::inbound::openai
