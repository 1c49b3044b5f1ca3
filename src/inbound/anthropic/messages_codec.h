// MessagesCodec: the Anthropic Messages API as an inbound format (POST /v1/messages) — requests
// decoded by messages_request_decoder, streams encoded by messages_stream_encoder, errors in
// anthropic_errors' shape (status kept: 529 stays 529), and complete responses encoded here
// (wire-formats.md §3.3): thinking / redacted_thinking / text blocks in order (empty text left
// out), then tool_use blocks (input parsed from the arguments text; {} when it is not a JSON
// object), stop_reason and stop_sequence, usage with the cache split. Stateless; safe to share.
#pragma once

#include "inbound/inbound_codec.h"

namespace switchyard::inbound::anthropic {

class MessagesCodec : public InboundCodec {
 public:
  std::string_view name() const override { return "anthropic"; }
  Result<canonical::ChatRequest> DecodeRequest(std::string_view body) const override;
  std::string EncodeResponse(const canonical::ChatResponse& response) const override;
  std::unique_ptr<StreamEncoder> NewStreamEncoder(
      const StreamEncoderOptions& options) const override;
  std::string FormatError(const Error& error) const override;
  std::string FormatStreamError(const Error& error) const override;
  int ClientStatus(int status) const override;
};

}  // namespace switchyard::inbound::anthropic
