// Header fields the gateway writes, to clients and to providers, made safe at the one place that
// serialises them (FormatResponseHead, the upstream request head): a value that came from a
// client (a model name, a body field's name) or from a provider must never end the field, the
// head or the message it is written into (response splitting, request smuggling upstream).
// Pure functions, free of Asio (fuzzed by tests/fuzz/header_value_fuzz.cc).
#pragma once

#include <string>
#include <string_view>

namespace switchyard::http {

// A field name is an RFC 9110 token: one or more of ALPHA DIGIT !#$%&'*+-.^_`|~.
bool IsHeaderName(std::string_view name);

// A value is an RFC 9110 field-value: no control character other than HTAB (no CR, LF, NUL,
// DEL), and no leading or trailing space or HTAB. obs-text (bytes 0x80-0xFF) is allowed.
bool IsHeaderValue(std::string_view value);

// `value` with every control character but HTAB removed and the surrounding whitespace trimmed.
// A valid value comes back unchanged; the result is always valid (so the function is idempotent).
std::string SanitizeHeaderValue(std::string_view value);

// Appends "name: value\r\n" with the value sanitised; a name that is not a token appends nothing
// (a header the gateway cannot write safely is better left out than written broken).
void AppendHeaderField(std::string& out, std::string_view name, std::string_view value);

}  // namespace switchyard::http
