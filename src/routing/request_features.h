// RequestFeatures: what routing strategies may know about one call — the few facts the gateway
// reads from the client's request before choosing targets. Strategies never see the body itself.
// A plain value, filled once per call by the gateway.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace switchyard::routing {

// x-switchyard-metadata as key → text: strings unescaped, numbers and booleans as their JSON text
// ("42", "true").
using Metadata = std::map<std::string, std::string, std::less<>>;

struct RequestFeatures {
  std::int64_t input_tokens = 0;           // the estimated prompt, in tokens
  std::optional<std::int64_t> max_tokens;  // the client's cap on output tokens, when it set one
  bool has_tools = false;                  // the request offers tools
  bool has_images = false;                 // a message holds an image
  bool wants_json_schema = false;          // structured output with a JSON schema
  bool stream = false;
  std::string inbound;                     // the client's API: "openai" | "anthropic"
  std::string model;                       // the model the client's body asked for
  Metadata metadata;
  // ab: the variant (an index into the plan's steps) the gateway assigned from the experiment's
  // shares in force (its promotion and pause state live outside routing); unset: the `ab`
  // strategy assigns from the configured shares.
  std::optional<std::size_t> variant;
};

// The members of a JSON object with string, number or boolean values (null, objects and arrays
// are left out); empty when `json` is empty or not a valid JSON object.
Metadata MetadataFromJson(std::string_view json);

}  // namespace switchyard::routing
