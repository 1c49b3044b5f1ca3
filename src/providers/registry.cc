// The adapters, one line per wire format. Adding a wire format: one folder under providers/ and one
// line here.
#include "providers/anthropic/anthropic_adapter.h"
#include "providers/gemini/gemini_adapter.h"
#include "providers/openai_compat/openai_adapter.h"
#include "providers/provider_adapter.h"

namespace switchyard::providers {

const ProviderAdapter* AdapterFor(wire::Format format) {
  static const openai_compat::OpenAIAdapter kOpenAI;
  static const anthropic::AnthropicAdapter kAnthropic;
  static const gemini::GeminiAdapter kGemini;
  switch (format) {
    case wire::Format::kOpenAI: return &kOpenAI;
    case wire::Format::kAnthropic: return &kAnthropic;
    case wire::Format::kGemini: return &kGemini;
  }
  return nullptr;
}

}  // namespace switchyard::providers
