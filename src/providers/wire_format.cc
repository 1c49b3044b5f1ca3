#include "providers/wire_format.h"

namespace switchyard::providers {

std::string_view ToString(WireFormat format) {
  switch (format) {
    case WireFormat::kOpenAI: return "openai";
    case WireFormat::kAnthropic: return "anthropic";
    case WireFormat::kGemini: return "gemini";
  }
  return "unknown";
}

std::optional<WireFormat> ParseWireFormat(std::string_view text) {
  if (text == "openai") return WireFormat::kOpenAI;
  if (text == "anthropic") return WireFormat::kAnthropic;
  if (text == "gemini") return WireFormat::kGemini;
  return std::nullopt;
}

}  // namespace switchyard::providers
