// ObjectScan: a strict RFC 8259 validator for a JSON document whose top level is an object, which
// records where each top-level member lies in the raw bytes. The gateway uses it to read and
// rewrite the few fields it owns (see object_rewrite.h) without parsing and re-serializing the
// body, so every other byte passes through unchanged.
//
// Ownership: an ObjectScan owns its member list (offsets and unescaped keys) but not the text it
// describes; the offsets are meaningful only for the exact text that was scanned.
// Thread-safety: plain values and pure functions; safe to share read-only across threads.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace switchyard::json {

enum class ValueType { kObject, kArray, kString, kNumber, kTrue, kFalse, kNull };

// One top-level member, in document order.
struct Member {
  std::string key;          // unescaped key
  std::size_t key_begin;    // offset of the key's opening quote
  std::size_t value_begin;  // offset of the first byte of the value
  std::size_t value_end;    // one past the last byte of the value
  ValueType type;
};

struct ObjectScan {
  std::vector<Member> members;  // in document order; keys are unique
  std::size_t open_brace = 0;   // offset of the top-level '{'
  std::size_t close_brace = 0;  // offset of the final '}'
};

// The deepest nesting ScanObject accepts; the top-level object is level 1.
inline constexpr int kMaxJsonDepth = 64;

// Validates the whole of `text` strictly per RFC 8259 and requires its top level to be an object.
// Leading and trailing whitespace is allowed; anything else after the value is not. Strings must be
// valid UTF-8 without raw control characters, and escaped surrogates must form pairs (a lone
// "\ud800" is rejected, as Boost.JSON does, so that every string has a UTF-8 value). Nesting
// deeper than kMaxJsonDepth and duplicate top-level keys are rejected.
// Success: the top-level members with their offsets. Failure: Error::InvalidRequest, e.g.
// "request body is not valid JSON: unexpected character at offset 17".
// One pass over `text`; allocates only the member list and keys longer than the SSO buffer.
Result<ObjectScan> ScanObject(std::string_view text);

// The member named `key` (compared with the unescaped key), or nullptr. The pointer is valid as
// long as `scan` is unchanged.
const Member* FindMember(const ObjectScan& scan, std::string_view key);

// The raw bytes of the member's value; a view into `text`, which must be the scanned text.
std::string_view ValueText(std::string_view text, const Member& member);

// The unescaped value when the member is a string (\uXXXX escapes, including surrogate pairs,
// become UTF-8); nullopt for any other type. `text` must be the scanned text.
std::optional<std::string> StringValue(std::string_view text, const Member& member);

// Unescapes the contents of a JSON string (the bytes between the quotes) that ScanObject
// validated, appending the result to `out`. Undefined for unvalidated input.
void AppendUnescaped(std::string_view escaped, std::string& out);

}  // namespace switchyard::json
