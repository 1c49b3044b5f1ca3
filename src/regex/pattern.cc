// RE2 behind regex::Pattern: the only file that includes it.
#include "regex/pattern.h"

#include <fmt/format.h>
#include <re2/re2.h>

namespace switchyard::regex {
namespace {

// How much of a rejected pattern an error quotes: enough to find it, never a whole pasted text.
constexpr std::size_t kQuotedBytes = 100;

std::string Quoted(std::string_view source) {
  if (source.size() <= kQuotedBytes) return std::string(source);
  std::size_t cut = kQuotedBytes;
  // Back off to a UTF-8 boundary, so the quote is valid text.
  while (cut > 0 && (static_cast<unsigned char>(source[cut]) & 0xC0) == 0x80) --cut;
  return std::string(source.substr(0, cut)) + "...";
}

}  // namespace

struct Pattern::Compiled {
  Compiled(std::string_view source, const RE2::Options& options)
      : text(source), re2(re2::StringPiece(source.data(), source.size()), options) {}
  std::string text;
  RE2 re2;
};

Result<Pattern> Pattern::Compile(std::string_view source, std::int64_t max_memory) {
  if (source.size() > kMaxPatternBytes) {
    return Error::Config(fmt::format("regex is {} bytes long, at most {} allowed", source.size(),
                                     kMaxPatternBytes));
  }
  RE2::Options options;
  options.set_encoding(RE2::Options::EncodingUTF8);
  options.set_log_errors(false);  // RE2 would write to stderr; the error is returned instead
  options.set_max_mem(max_memory);
  auto compiled = std::make_shared<const Compiled>(source, options);
  if (!compiled->re2.ok()) {
    const bool too_big = compiled->re2.error_code() == RE2::ErrorPatternTooLarge;
    // RE2's reason quotes the part of the pattern it stopped at, which may be all of it.
    return Error::Config(fmt::format("regex '{}' does not compile: {}", Quoted(source),
                                     too_big ? "too large once expanded"
                                             : Quoted(compiled->re2.error())));
  }
  return Pattern(std::move(compiled));
}

bool Pattern::Search(std::string_view text) const {
  return RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), compiled_->re2);
}

void Pattern::FindAll(std::string_view text, std::size_t max,
                      std::vector<std::pair<std::size_t, std::size_t>>& out) const {
  const re2::StringPiece whole(text.data(), text.size());
  std::size_t position = 0;
  std::size_t found = 0;
  re2::StringPiece match;
  while (found < max && position <= text.size() &&
         compiled_->re2.Match(whole, position, text.size(), RE2::UNANCHORED, &match, 1)) {
    const std::size_t begin = static_cast<std::size_t>(match.data() - text.data());
    const std::size_t end = begin + match.size();
    if (end > begin) {
      out.emplace_back(begin, end);
      ++found;
      position = end;
      continue;
    }
    // An empty match: on to the next character, so the search always moves forward.
    position = begin + 1;
    while (position < text.size() && (static_cast<unsigned char>(text[position]) & 0xC0) == 0x80) {
      ++position;
    }
  }
}

const std::string& Pattern::source() const { return compiled_->text; }

}  // namespace switchyard::regex
