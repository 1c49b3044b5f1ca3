// ObjectSkim: walks the top-level members of a JSON object without validating it, for bytes of
// which the gateway needs one or two members while the client parses the rest (a provider's answer
// and stream chunks: `usage`, `error`, `choices`). Strings are skipped from quote to quote (memchr,
// honouring backslash escapes) and containers by bracket depth, so a skim costs a fraction of
// ScanObject's strict pass (object_scan.h); on a valid object both find the same members.
//
// On malformed text a skim stops early or yields odd member texts, but never reads outside `text`.
// Keys are compared raw: a key written with escapes ("\u0075sage") does not match "usage".
//
// Ownership: views into the caller's text. Thread-safety: a plain value.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace switchyard::json {

struct SkimmedMember {
  std::string_view raw_key;  // between the key's quotes, escapes left as written
  std::string_view value;    // the value's bytes, without surrounding whitespace
};

class ObjectSkim {
 public:
  explicit ObjectSkim(std::string_view text);

  // The next top-level member in document order; nullopt at the object's end, or at the first byte
  // that does not fit the shape of an object (and from then on).
  std::optional<SkimmedMember> Next();

  // After Next() has returned nullopt: whether the skim ended at the object's closing brace with
  // nothing but whitespace after it (the text is shaped like one whole object).
  bool ended_whole() const { return ended_whole_; }

 private:
  // Whether the text from `i` on is the closing brace and trailing whitespace.
  bool IsEndAt(std::size_t i) const;

  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t first_member_ = 0;  // just past the opening brace
  bool done_ = false;
  bool ended_whole_ = false;
};

// The value of the first top-level member named `key`, or nullopt.
std::optional<std::string_view> FindTopLevelValue(std::string_view text, std::string_view key);

}  // namespace switchyard::json
