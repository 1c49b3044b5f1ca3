// Data URIs ("data:<media type>;base64,<payload>"), the way OpenAI carries inline images and files,
// against the (media type, base64 payload) pairs of the canonical model and Anthropic's sources.
// Pure functions; results own their bytes.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace switchyard::canonical {

struct DataUri {
  std::string media_type;  // lower-cased, e.g. "image/png"
  std::string data;        // the base64 payload, unchanged
};

// Parses a base64 data URI. nullopt for anything else (an http(s) URL, a non-base64 data URI, a
// data URI without a media type).
std::optional<DataUri> ParseDataUri(std::string_view uri);

// "data:<media_type>;base64,<data>".
std::string MakeDataUri(std::string_view media_type, std::string_view data);

}  // namespace switchyard::canonical
