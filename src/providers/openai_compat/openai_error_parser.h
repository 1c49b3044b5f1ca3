// Reads an error answer from an OpenAI-compatible host. Hosts disagree on the shape
// (wire-formats.md §5): {"error":{"message",...}} (OpenAI, Groq, vLLM new), {"error":"text"} (xAI,
// Together), top-level {"message",...} (Mistral, vLLM old), {"detail":...} (DeepInfra),
// {"fault":{"faultstring"}} (Fireworks' edge). All become one ProviderError.
#pragma once

#include <string_view>

#include "providers/provider_error.h"

namespace switchyard::providers::openai_compat {

ProviderError ParseOpenAIError(int status, std::string_view body);

}  // namespace switchyard::providers::openai_compat
