// RewriteObject: edits a few top-level members of a scanned JSON object in its raw bytes (replace,
// remove, append), so that every byte the gateway does not own reaches the provider unchanged. Pure
// functions over caller-owned text; the result is a new string. Safe from any thread.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "json/object_scan.h"

namespace switchyard::json {

// One edit of a top-level member.
struct Edit {
  std::string key;                       // unescaped key
  std::optional<std::string> raw_value;  // replacement JSON text; nullopt removes the member
};

// Applies `edits` to `text`, which must be the text `scan` was made from:
// - an edit whose key exists replaces that member's value bytes in place, or removes the member
//   together with the comma that separates it from its neighbour;
// - an edit whose key does not exist appends `"key":value` (key JSON-escaped) after the last
//   member, with a comma when one is needed; removing a missing key does nothing.
// When several edits name the same key, the last one wins. Bytes outside edited members, and
// the whitespace around them, are unchanged. raw_value is trusted: it must be one valid JSON
// value for the result to be valid JSON. Never fails.
std::string RewriteObject(std::string_view text, const ObjectScan& scan,
                          std::span<const Edit> edits);

// `s` as a JSON string literal, quotes included: '"', '\\' and control characters are escaped
// (\n, \t, ... or \u00XX), other valid UTF-8 passes through, and each invalid UTF-8 byte becomes
// U+FFFD, so the result is always valid JSON.
std::string QuoteJsonString(std::string_view s);

// Appends QuoteJsonString(s) to `out`.
void AppendQuotedJsonString(std::string_view s, std::string& out);

}  // namespace switchyard::json
