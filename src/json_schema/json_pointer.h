// JSON pointers (RFC 6901) for the schema compiler and validator: escaping a key into a pointer
// token, decoding a $ref's URI fragment into a pointer, and finding the value a pointer names.
// Pure functions; no recursion.
#pragma once

#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace switchyard::json_schema {

// "a/b~c" → "a~1b~0c".
std::string EscapePointerToken(std::string_view key);

// A $ref's fragment without its '#' ("/$defs/a%20b") → the pointer ("/$defs/a b"), its
// percent-escapes decoded. nullopt when it is neither empty nor starts with '/', or holds a bad
// escape.
std::optional<std::string> DecodeFragment(std::string_view fragment);

// The value `pointer` names inside `root` ("" is root itself), or nullptr when none does.
const boost::json::value* FindPointer(const boost::json::value& root, std::string_view pointer);

}  // namespace switchyard::json_schema
