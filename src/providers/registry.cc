// The adapters, one line per wire format. Adding a wire format: one folder under providers/ and one
// line here.
#include "providers/openai_compat/openai_adapter.h"
#include "providers/provider_adapter.h"

namespace switchyard::providers {

const ProviderAdapter* AdapterFor(WireFormat format) {
  static const openai_compat::OpenAIAdapter kOpenAI;
  switch (format) {
    case WireFormat::kOpenAI: return &kOpenAI;
    case WireFormat::kAnthropic:
    case WireFormat::kGemini: return nullptr;  // translation arrives with issue 3
  }
  return nullptr;
}

}  // namespace switchyard::providers
