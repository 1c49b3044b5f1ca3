#include "wire/format.h"

namespace switchyard::wire {

std::string_view ToString(Format format) {
  switch (format) {
    case Format::kOpenAI: return "openai";
    case Format::kAnthropic: return "anthropic";
    case Format::kGemini: return "gemini";
  }
  return "unknown";
}

std::optional<Format> ParseFormat(std::string_view text) {
  if (text == "openai") return Format::kOpenAI;
  if (text == "anthropic") return Format::kAnthropic;
  if (text == "gemini") return Format::kGemini;
  return std::nullopt;
}

}  // namespace switchyard::wire
