// Fuzzes the Gemini response decoder, and the content encoder on what it decodes: no input may
// crash, leak or hang them, and every response that decodes must encode back as the assistant turn
// of a follow-up request (with a result for each of its calls, then the user's next question),
// since that is what a client does next. (A request that ends with the assistant's turn is an
// Anthropic prefill, which Gemini cannot continue: refused by design, so not what is checked here.)
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "providers/gemini/gemini_request_encoder.h"
#include "providers/gemini/gemini_response_decoder.h"

using namespace switchyard;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto response = providers::gemini::DecodeGeminiResponse(input);
  if (!response) {
    if (response.error().kind != ErrorKind::kUpstreamProtocol) __builtin_trap();
    return 0;
  }
  const canonical::Usage& usage = response->usage;
  if (usage.input_tokens < 0 || usage.output_tokens < usage.reasoning_tokens) __builtin_trap();

  canonical::ChatRequest request;
  request.dialect = size % 2 == 0 ? wire::Format::kOpenAI : wire::Format::kAnthropic;
  request.messages.emplace_back();  // the user's question
  request.messages.back().content.emplace_back();
  request.messages.back().content.back().text = "q";
  request.messages.push_back(response->message);
  for (const canonical::ToolCall& call : response->message.tool_calls) {
    canonical::Message result;
    result.role = canonical::Role::kTool;
    result.tool_call_id = call.id;
    result.content.emplace_back();
    result.content.back().text = call.arguments_json;
    request.messages.push_back(std::move(result));
  }
  request.messages.emplace_back();  // the user's next question
  request.messages.back().content.emplace_back();
  request.messages.back().content.back().text = "next";
  if (!providers::gemini::EncodeGeminiRequest(request).ok()) __builtin_trap();
  return 0;
}
