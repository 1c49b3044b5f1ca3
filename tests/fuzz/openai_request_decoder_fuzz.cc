// Fuzzes the OpenAI inbound request decoder (client bodies) and what the wire encoders make of
// every request it accepts: a decoded request either encodes or is refused with a 400, never
// crashes; refusals always name a field.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "inbound/openai/chat_request_decoder.h"
#include "providers/anthropic/anthropic_request_encoder.h"
#include "providers/openai_compat/openai_request_encoder.h"

using namespace switchyard;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto request = inbound::openai::DecodeChatRequest(input);
  if (!request) {
    if (request.error().http_status != 400) __builtin_trap();
    return 0;
  }
  auto anthropic = providers::anthropic::EncodeAnthropicRequest(*request, "m");
  if (!anthropic && (anthropic.error().http_status != 400 || anthropic.error().param.empty())) {
    __builtin_trap();
  }
  (void)providers::openai_compat::EncodeOpenAIRequest(*request, "m", nullptr);
  return 0;
}
