// Fuzzes the Anthropic pass-through stream tap and the relay of each event's bytes
// (stream_tap_fuzz.h says what is checked).
#include "providers/anthropic/anthropic_stream_tap.h"
#include "stream_tap_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  switchyard::providers::anthropic::AnthropicStreamTap tap;
  return switchyard::fuzz::RunStreamTap(tap, data, size);
}
