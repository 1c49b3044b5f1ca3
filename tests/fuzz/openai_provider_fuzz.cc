// Fuzzes what the OpenAI adapter reads from providers: error bodies, response usage, and streams
// (SSE framing plus the stream tap's chunk inspection). No input may crash, leak or hang them.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "providers/openai_compat/openai_error_parser.h"
#include "providers/openai_compat/openai_stream_tap.h"
#include "providers/openai_compat/openai_usage.h"
#include "sse/sse_parser.h"

using namespace switchyard;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const int status = size > 0 ? 400 + data[0] % 200 : 500;

  providers::ProviderError error = providers::openai_compat::ParseOpenAIError(status, input);
  if (error.message.empty()) __builtin_trap();  // a message is always produced

  (void)providers::openai_compat::TopLevelUsage(input);

  // The same bytes as a stream, split in two at a point taken from the input.
  providers::openai_compat::OpenAIStreamTap tap(/*hide_usage_chunk=*/size % 2 == 0);
  sse::SseParser parser(1 << 16);
  auto on_event = [&](const sse::Event& event) {
    if (!event.is_comment) (void)tap.OnData(event.data);
  };
  const std::size_t split = size > 1 ? data[1] % size : 0;
  if (parser.Feed(input.substr(0, split), on_event).ok() &&
      parser.Feed(input.substr(split), on_event).ok()) {
    parser.Finish(on_event);
  }
  return 0;
}
