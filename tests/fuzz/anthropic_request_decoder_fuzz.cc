// Fuzzes the Anthropic inbound request decoder (client bodies) and what the wire encoders make of
// every request it accepts: a decoded request either encodes or is refused with a 400 naming a
// field, never crashes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "inbound/anthropic/messages_request_decoder.h"
#include "providers/anthropic/anthropic_request_encoder.h"
#include "providers/openai_compat/openai_request_encoder.h"

using namespace switchyard;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto request = inbound::anthropic::DecodeMessagesRequest(input);
  if (!request) {
    if (request.error().http_status != 400) __builtin_trap();
    return 0;
  }
  auto openai = providers::openai_compat::EncodeOpenAIRequest(*request, "m", nullptr);
  if (!openai && (openai.error().http_status != 400 || openai.error().param.empty())) {
    __builtin_trap();
  }
  (void)providers::anthropic::EncodeAnthropicRequest(*request, "m");
  return 0;
}
