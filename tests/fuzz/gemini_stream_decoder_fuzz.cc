// Fuzzes what the Gemini adapter reads from providers — streams (SSE framing, then the stream
// decoder, then both client stream encoders fed with what it produced) and error bodies. No input
// may crash, leak or hang them; every client stream must end; usage is never negative; tool-call
// ordinals count up from 0 without gaps.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "inbound/anthropic/messages_stream_encoder.h"
#include "inbound/openai/chat_stream_encoder.h"
#include "providers/gemini/gemini_error_parser.h"
#include "providers/gemini/gemini_stream_decoder.h"
#include "sse/sse_parser.h"

using namespace switchyard;

namespace {

void CheckUsage(const canonical::Usage& usage) {
  if (usage.input_tokens < 0 || usage.cached_input_tokens < 0 || usage.output_tokens < 0 ||
      usage.reasoning_tokens < 0 || usage.reasoning_tokens > usage.output_tokens) {
    __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const providers::ProviderError error =
      providers::gemini::ParseGeminiError(size > 0 ? 400 + data[0] % 200 : 200, input);
  if (error.message.empty() || error.type.empty()) __builtin_trap();

  providers::gemini::GeminiStreamDecoder decoder;
  inbound::StreamEncoderOptions options;
  options.include_usage = size % 2 == 0;
  inbound::openai::ChatStreamEncoder openai(options);
  inbound::anthropic::MessagesStreamEncoder anthropic(options);
  std::vector<canonical::StreamEvent> events;
  std::string out;
  int next_ordinal = 0;
  sse::SseParser parser(1 << 16);
  auto on_event = [&](const sse::Event& event) {
    if (event.is_comment) return;
    events.clear();
    decoder.Decode(event.event, event.data, events);
    for (const canonical::StreamEvent& e : events) {
      if (e.kind == canonical::StreamEvent::Kind::kToolCallStart && e.index != next_ordinal++) {
        __builtin_trap();
      }
      CheckUsage(e.usage);
      openai.Encode(e, out);
      anthropic.Encode(e, out);
    }
    if (out.size() > (1 << 20)) out.clear();
  };
  const std::size_t split = size > 1 ? data[1] % size : 0;
  if (parser.Feed(input.substr(0, split), on_event).ok() &&
      parser.Feed(input.substr(split), on_event).ok()) {
    parser.Finish(on_event);
  }
  CheckUsage(decoder.usage());
  out.clear();
  openai.Finish(out, "");
  if (!openai.failed() && out.find("data: [DONE]") == std::string::npos) __builtin_trap();
  out.clear();
  anthropic.Finish(out, "");
  if (!anthropic.failed() && out.find("event: message_stop") == std::string::npos) __builtin_trap();
  return 0;
}
