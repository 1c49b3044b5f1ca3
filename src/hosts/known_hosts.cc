// The known providers: one row each. Facts from ../shared/reference/wire-formats.md section 5.
#include <array>

#include "hosts/host_profile.h"

namespace switchyard::hosts {
namespace {

// Cerebras takes max_tokens, not max_completion_tokens (wire-formats.md §5).
constexpr std::array<ParamRename, 1> kMaxCompletionToMaxTokens = {
    ParamRename{"max_completion_tokens", "max_tokens"}};
// Mistral calls the sampling seed random_seed.
constexpr std::array<ParamRename, 1> kMistralRenames = {ParamRename{"seed", "random_seed"}};

constexpr auto kOpenAI = wire::Format::kOpenAI;

const std::array kKnownHosts = {
    HostProfile{.name = "openai", .wire_format = kOpenAI,
                .default_base_url = "https://api.openai.com/v1"},
    HostProfile{.name = "anthropic", .wire_format = wire::Format::kAnthropic,
                .default_base_url = "https://api.anthropic.com", .auth = AuthStyle::kXApiKey},
    HostProfile{.name = "gemini", .wire_format = wire::Format::kGemini,
                .default_base_url = "https://generativelanguage.googleapis.com/v1beta",
                .auth = AuthStyle::kGoogApiKey},
    HostProfile{.name = "groq", .wire_format = kOpenAI,
                .default_base_url = "https://api.groq.com/openai/v1"},
    HostProfile{.name = "cerebras", .wire_format = kOpenAI,
                .default_base_url = "https://api.cerebras.ai/v1",
                .renames = kMaxCompletionToMaxTokens},
    HostProfile{.name = "mistral", .wire_format = kOpenAI,
                .default_base_url = "https://api.mistral.ai/v1",
                .stream_usage = StreamUsage::kAlways, .renames = kMistralRenames},
    HostProfile{.name = "deepinfra", .wire_format = kOpenAI,
                .default_base_url = "https://api.deepinfra.com/v1/openai"},
    HostProfile{.name = "xai", .wire_format = kOpenAI, .default_base_url = "https://api.x.ai/v1"},
    HostProfile{.name = "openrouter", .wire_format = kOpenAI,
                .default_base_url = "https://openrouter.ai/api/v1"},
    HostProfile{.name = "together", .wire_format = kOpenAI,
                .default_base_url = "https://api.together.xyz/v1"},
    HostProfile{.name = "fireworks", .wire_format = kOpenAI,
                .default_base_url = "https://api.fireworks.ai/inference/v1"},
    HostProfile{.name = "ollama", .wire_format = kOpenAI,
                .default_base_url = "http://127.0.0.1:11434/v1", .key_required = false},
};

}  // namespace

const HostProfile* FindKnownHost(std::string_view name) {
  for (const HostProfile& host : kKnownHosts) {
    if (host.name == name) return &host;
  }
  return nullptr;
}

std::span<const HostProfile> KnownHosts() { return kKnownHosts; }

}  // namespace switchyard::hosts
