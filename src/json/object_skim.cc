#include "json/object_skim.h"

#include <cstring>

namespace switchyard::json {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::size_t SkipSpace(std::string_view text, std::size_t i) {
  while (i < text.size() && IsSpace(text[i])) ++i;
  return i;
}

// `quote` is at a string's opening '"': the position just past its closing quote, or text.size()
// when it is not closed. A quote preceded by an odd run of backslashes is escaped.
std::size_t SkipString(std::string_view text, std::size_t quote) {
  std::size_t from = quote + 1;
  while (from < text.size()) {
    const void* found = std::memchr(text.data() + from, '"', text.size() - from);
    if (found == nullptr) break;
    const std::size_t at = static_cast<std::size_t>(static_cast<const char*>(found) - text.data());
    std::size_t backslashes = 0;
    while (at - backslashes > quote + 1 && text[at - backslashes - 1] == '\\') ++backslashes;
    if (backslashes % 2 == 0) return at + 1;
    from = at + 1;
  }
  return text.size();
}

// `open` is at '{' or '[': the position just past the matching close, or text.size(). Brackets are
// counted without checking that they pair up by kind: the skim trusts the producer.
std::size_t SkipContainer(std::string_view text, std::size_t open) {
  std::size_t depth = 0;
  for (std::size_t i = open; i < text.size();) {
    switch (text[i]) {
      case '"':
        i = SkipString(text, i);
        continue;
      case '{':
      case '[':
        ++depth;
        break;
      case '}':
      case ']':
        if (--depth == 0) return i + 1;
        break;
      default:
        break;
    }
    ++i;
  }
  return text.size();
}

// A scalar other than a string (number, true, false, null) runs to the next delimiter.
std::size_t SkipScalar(std::string_view text, std::size_t i) {
  while (i < text.size() && text[i] != ',' && text[i] != '}' && text[i] != ']' &&
         !IsSpace(text[i])) {
    ++i;
  }
  return i;
}

std::size_t SkipValue(std::string_view text, std::size_t i) {
  switch (text[i]) {
    case '"':
      return SkipString(text, i);
    case '{':
    case '[':
      return SkipContainer(text, i);
    default:
      return SkipScalar(text, i);
  }
}

}  // namespace

ObjectSkim::ObjectSkim(std::string_view text) : text_(text) {
  pos_ = SkipSpace(text_, 0);
  if (pos_ < text_.size() && text_[pos_] == '{') {
    first_member_ = ++pos_;
  } else {
    done_ = true;
  }
}

std::optional<SkimmedMember> ObjectSkim::Next() {
  if (done_) return std::nullopt;
  done_ = true;  // until this member turns out whole
  std::size_t i = SkipSpace(text_, pos_);
  if (i >= text_.size() || text_[i] != '"') {  // '}' (an empty object) or not an object
    ended_whole_ = pos_ == first_member_ && IsEndAt(i);
    return std::nullopt;
  }
  const std::size_t key_end = SkipString(text_, i);
  if (key_end >= text_.size()) return std::nullopt;
  const std::string_view raw_key = text_.substr(i + 1, key_end - i - 2);
  i = SkipSpace(text_, key_end);
  if (i >= text_.size() || text_[i] != ':') return std::nullopt;
  const std::size_t value_begin = SkipSpace(text_, i + 1);
  if (value_begin >= text_.size()) return std::nullopt;
  const std::size_t value_end = SkipValue(text_, value_begin);
  if (value_end == value_begin) return std::nullopt;
  i = SkipSpace(text_, value_end);
  if (i < text_.size() && text_[i] == ',') {
    pos_ = i + 1;
    done_ = false;
  } else {
    ended_whole_ = IsEndAt(i);
  }
  return SkimmedMember{raw_key, text_.substr(value_begin, value_end - value_begin)};
}

bool ObjectSkim::IsEndAt(std::size_t i) const {
  return i < text_.size() && text_[i] == '}' && SkipSpace(text_, i + 1) == text_.size();
}

std::optional<std::string_view> FindTopLevelValue(std::string_view text, std::string_view key) {
  ObjectSkim skim(text);
  while (auto member = skim.Next()) {
    if (member->raw_key == key) return member->value;
  }
  return std::nullopt;
}

}  // namespace switchyard::json
