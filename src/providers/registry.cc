// The adapters, one line per wire format. Adding a wire format: one folder under providers/ and one
// line here.
#include "providers/anthropic/anthropic_adapter.h"
#include "providers/openai_compat/openai_adapter.h"
#include "providers/provider_adapter.h"

namespace switchyard::providers {

const ProviderAdapter* AdapterFor(WireFormat format) {
  static const openai_compat::OpenAIAdapter kOpenAI;
  static const anthropic::AnthropicAdapter kAnthropic;
  switch (format) {
    case WireFormat::kOpenAI: return &kOpenAI;
    case WireFormat::kAnthropic: return &kAnthropic;
    case WireFormat::kGemini: return nullptr;  // not yet
  }
  return nullptr;
}

}  // namespace switchyard::providers
