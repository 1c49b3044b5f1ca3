// ChatCodec: the OpenAI Chat Completions API as an inbound format (POST /v1/chat/completions) —
// requests decoded by chat_request_decoder, streams encoded by chat_stream_encoder, errors in
// openai_errors' shape, and complete responses encoded here (wire-formats.md §1.3): the assistant
// message with content (text joined; null when there are tool calls and no text), refusal null,
// tool_calls, reasoning_content and thinking_blocks; logprobs null; usage always present.
// Stateless; safe to share between threads.
#pragma once

#include "inbound/inbound_codec.h"

namespace switchyard::inbound::openai {

class ChatCodec : public InboundCodec {
 public:
  std::string_view name() const override { return "openai"; }
  Result<canonical::ChatRequest> DecodeRequest(std::string_view body) const override;
  std::string EncodeResponse(const canonical::ChatResponse& response) const override;
  std::unique_ptr<StreamEncoder> NewStreamEncoder(
      const StreamEncoderOptions& options) const override;
  std::string FormatError(const Error& error) const override;
  std::string FormatStreamError(const Error& error) const override;
  int ClientStatus(int status) const override;
};

}  // namespace switchyard::inbound::openai
