#include "inbound/anthropic/messages_codec.h"

#include <boost/json/serialize.hpp>

#include "canonical/json_values.h"
#include "inbound/anthropic/anthropic_errors.h"
#include "inbound/anthropic/messages_request_decoder.h"
#include "inbound/anthropic/messages_stream_encoder.h"
#include "wire/anthropic/anthropic_format.h"

namespace switchyard::inbound::anthropic {
namespace json = boost::json;
using canonical::ContentPart;

Result<canonical::ChatRequest> MessagesCodec::DecodeRequest(std::string_view body) const {
  return DecodeMessagesRequest(body);
}

std::string MessagesCodec::EncodeResponse(const canonical::ChatResponse& response) const {
  json::array content;
  for (const ContentPart& part : response.message.content) {
    if (part.kind == ContentPart::Kind::kText && part.text.empty()) continue;
    json::object block = wire::anthropic::BlockFromPart(part);
    block.erase("cache_control");
    content.push_back(std::move(block));
  }
  for (const canonical::ToolCall& call : response.message.tool_calls) {
    std::optional<json::object> input = canonical::ParseArguments(call.arguments_json);
    content.push_back(json::object{{"type", "tool_use"},
                                   {"id", call.id},
                                   {"name", call.name},
                                   {"input", input ? std::move(*input) : json::object()}});
  }
  const bool matched = !response.stop_sequence.empty();
  json::object body{
      {"id", response.id},
      {"type", "message"},
      {"role", "assistant"},
      {"model", response.model},
      {"content", std::move(content)},
      {"stop_reason", wire::anthropic::FinishReasonToAnthropic(response.finish_reason, matched)},
      {"stop_sequence", matched ? json::value(response.stop_sequence) : json::value(nullptr)},
      {"usage", wire::anthropic::UsageToAnthropic(response.usage, true)}};
  return json::serialize(body);
}

std::unique_ptr<StreamEncoder> MessagesCodec::NewStreamEncoder(
    const StreamEncoderOptions& options) const {
  return std::make_unique<MessagesStreamEncoder>(options);
}

std::string MessagesCodec::FormatError(const Error& error) const { return FormatErrorBody(error); }

std::string MessagesCodec::FormatStreamError(const Error& error) const {
  return anthropic::FormatStreamError(error);
}

int MessagesCodec::ClientStatus(int status) const { return ClientStatusFor(status); }

}  // namespace switchyard::inbound::anthropic
