// Fuzzes the Gemini stream tap and the relay of each event's bytes (stream_tap_fuzz.h says what is
// checked).
#include "providers/gemini/gemini_stream_tap.h"
#include "stream_tap_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  switchyard::providers::gemini::GeminiStreamTap tap;
  return switchyard::fuzz::RunStreamTap(tap, data, size);
}
