// WireFormat: the HTTP+JSON dialect a provider speaks. Adapters are chosen by wire format, never by
// vendor name (STYLE.md 2.3): every OpenAI-compatible host shares one adapter.
#pragma once

#include <optional>
#include <string_view>

namespace switchyard::providers {

enum class WireFormat { kOpenAI, kAnthropic, kGemini };

std::string_view ToString(WireFormat format);
std::optional<WireFormat> ParseWireFormat(std::string_view text);

}  // namespace switchyard::providers
