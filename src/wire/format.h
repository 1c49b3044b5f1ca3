// Format: the HTTP+JSON API format a request or response is written in — the one a client speaks to
// the gateway (OpenAI Chat Completions, Anthropic Messages) and the one a provider speaks (those two
// and Gemini generateContent). One enum for both sides, so "which format is the client's, which the
// target's, is it the same" is a comparison. Adapters are chosen by wire format, never by vendor name
// (STYLE.md 2.3): every OpenAI-compatible host shares one adapter.
//
// This header includes nothing of the project, so canonical/ may name a format without depending on
// the format tables beside it (wire/<format>/), which depend on canonical/.
#pragma once

#include <optional>
#include <string_view>

namespace switchyard::wire {

enum class Format { kOpenAI, kAnthropic, kGemini };

// "openai", "anthropic", "gemini": the names config's provider `kind` uses.
std::string_view ToString(Format format);
std::optional<Format> ParseFormat(std::string_view text);

}  // namespace switchyard::wire
