// Small string helpers shared by parsers and codecs. Free functions over std::string_view: no
// ownership, no state, safe from any thread. Returned views point into the argument and live as
// long as the bytes it refers to.
#pragma once

#include <string_view>

namespace switchyard {

// True for the ASCII whitespace bytes: space, \t, \n, \v, \f, \r.
constexpr bool IsAsciiWhitespace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// `text` without leading and trailing ASCII whitespace (e.g. the padding Anthropic puts after the
// JSON on its `data:` lines). Never fails; the result is a view into `text`.
constexpr std::string_view TrimWhitespace(std::string_view text) {
  while (!text.empty() && IsAsciiWhitespace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsAsciiWhitespace(text.back())) text.remove_suffix(1);
  return text;
}

}  // namespace switchyard
