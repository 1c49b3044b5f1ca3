// Pattern: a compiled regular expression matched in time linear in the text (RE2: no
// backtracking, so no pattern can make a match take exponential time). Built once for every part
// of the gateway that matches client- or operator-written patterns: `accept.regex` of a route,
// JSON Schema `pattern`, and later the guardrails. Nothing else in the project includes RE2.
//
// Syntax: RE2's (Perl-like, UTF-8); no backreferences or lookaround, which is what keeps matching
// linear. Bounds: a pattern of at most kMaxPatternBytes, compiled within a memory budget (RE2's
// max_mem), so neither a long nor a large-after-expansion pattern (`a{1000}{1000}`) compiles.
// Copying a Pattern is cheap (it shares the compiled program); a Pattern is immutable and may be
// searched from any thread at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace switchyard::regex {

// The longest pattern Compile accepts, in bytes.
inline constexpr std::size_t kMaxPatternBytes = 1024;
// RE2's memory budget for one compiled pattern (its program and its lazily built DFA caches).
inline constexpr std::int64_t kDefaultMaxMemory = std::int64_t{8} << 20;

class Pattern {
 public:
  // Compiles `source` (UTF-8). Errors are kConfig with RE2's reason ("missing ): (a"), or
  // the bound that was exceeded; the error never quotes more than the first 100 bytes of the
  // pattern. `max_memory` lowers the budget for callers that compile many patterns at once.
  static Result<Pattern> Compile(std::string_view source,
                                 std::int64_t max_memory = kDefaultMaxMemory);

  // Whether the pattern matches anywhere in `text` (an unanchored search; anchor with ^ and $).
  bool Search(std::string_view text) const;

  // Appends [begin, end) byte offsets of the matches in `text`, left to right, none overlapping,
  // at most `max` of them (the guardrails' spans). An empty match steps on by one character.
  void FindAll(std::string_view text, std::size_t max,
               std::vector<std::pair<std::size_t, std::size_t>>& out) const;

  const std::string& source() const;

 private:
  struct Compiled;
  explicit Pattern(std::shared_ptr<const Compiled> compiled) : compiled_(std::move(compiled)) {}

  std::shared_ptr<const Compiled> compiled_;
};

}  // namespace switchyard::regex
