#include "json/object_scan.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <numeric>
#include <string>

#include "json/utf8.h"

namespace switchyard::json {
namespace {

using Byte = unsigned char;

constexpr std::array<bool, 256> MakeWhitespaceTable() {
  std::array<bool, 256> table{};
  table[' '] = table['\t'] = table['\n'] = table['\r'] = true;
  return table;
}
constexpr std::array<bool, 256> kWhitespace = MakeWhitespaceTable();

// Bytes that end the plain run of a string: the closing quote, a backslash, a control character
// (an error) and any non-ASCII byte (which needs UTF-8 validation).
constexpr std::array<bool, 256> MakeStringStopTable() {
  std::array<bool, 256> table{};
  for (int c = 0; c < 0x20; ++c) table[c] = true;
  for (int c = 0x80; c < 0x100; ++c) table[c] = true;
  table['"'] = table['\\'] = true;
  return table;
}
constexpr std::array<bool, 256> kStringStop = MakeStringStopTable();

constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;

// Whether any of the 8 bytes in `v` is a string stop byte (see kStringStop). Exact: the borrows
// that make the classic "has byte less than n" trick imprecise only occur when a byte matches.
inline bool HasStringStop(std::uint64_t v) {
  const std::uint64_t below_space = (v - kOnes * 0x20) & ~v;
  const std::uint64_t q = v ^ (kOnes * '"');
  const std::uint64_t quote = (q - kOnes) & ~q;
  const std::uint64_t b = v ^ (kOnes * '\\');
  const std::uint64_t backslash = (b - kOnes) & ~b;
  return ((below_space | quote | backslash | v) & kHighBits) != 0;
}

inline bool IsDigit(Byte c) { return c >= '0' && c <= '9'; }

inline int HexValue(Byte c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The 4-hex-digit value at p[0..4), or -1. REQUIRES: 4 bytes available.
inline std::int32_t Hex4(const Byte* p) {
  std::int32_t value = 0;
  for (int i = 0; i < 4; ++i) {
    const int digit = HexValue(p[i]);
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

inline bool IsHighSurrogate(std::int32_t u) { return u >= 0xD800 && u <= 0xDBFF; }
inline bool IsLowSurrogate(std::int32_t u) { return u >= 0xDC00 && u <= 0xDFFF; }

// A recursive-descent validator. Recursion depth is bounded by kMaxJsonDepth, so the stack is too.
// Nothing is allocated for nested values; only the top-level member list is recorded.
class Scanner {
 public:
  explicit Scanner(std::string_view text)
      : begin_(reinterpret_cast<const Byte*>(text.data())),
        p_(begin_),
        end_(begin_ + text.size()) {}

  Result<ObjectScan> Run() {
    ObjectScan scan;
    SkipWhitespace();
    if (p_ != end_ && *p_ != '{') {
      // Validate anyway, so that a malformed body is reported as such.
      if (!ParseValue(0)) return SyntaxError();
      SkipWhitespace();
      if (p_ != end_) {
        Fail("unexpected character after the JSON value");
        return SyntaxError();
      }
      return Error::InvalidRequest("request body must be a JSON object");
    }
    if (p_ == end_) {
      Fail("unexpected end of input");
      return SyntaxError();
    }
    scan.open_brace = Offset(p_);
    scan.members.reserve(16);
    if (!ParseObject(1, &scan)) return SyntaxError();
    scan.close_brace = Offset(p_ - 1);
    SkipWhitespace();
    if (p_ != end_) {
      Fail("unexpected character after the JSON value");
      return SyntaxError();
    }
    if (const Member* dup = FindDuplicate(scan.members)) {
      std::string message = "request body is not valid JSON: duplicate key";
      // The key is client text: named only when short and printable, so a message stays one line.
      const bool printable = std::all_of(dup->key.begin(), dup->key.end(), [](char c) {
        return c >= 0x20 && c < 0x7F && c != '"' && c != '\\';
      });
      if (dup->key.size() <= 64 && printable) message += " \"" + dup->key + "\"";
      message += " at offset " + std::to_string(dup->key_begin);
      return Error::InvalidRequest(std::move(message));
    }
    return scan;
  }

 private:
  std::size_t Offset(const Byte* p) const { return static_cast<std::size_t>(p - begin_); }

  // Records the first error; `what` becomes "unexpected end of input" when p_ is at the end.
  bool Fail(const char* what) {
    error_ = p_ >= end_ ? "unexpected end of input" : what;
    error_offset_ = Offset(std::min(p_, end_));
    return false;
  }

  Error SyntaxError() const {
    return Error::InvalidRequest(std::string("request body is not valid JSON: ") + error_ +
                                 " at offset " + std::to_string(error_offset_));
  }

  void SkipWhitespace() {
    while (p_ != end_ && kWhitespace[*p_]) ++p_;
  }

  // p_ is at the first byte of a value; `depth` is the depth of the enclosing container.
  bool ParseValue(int depth) {
    if (p_ == end_) return Fail("expected a value");
    switch (*p_) {
      case '{':
        return ParseObject(depth + 1, nullptr);
      case '[':
        return ParseArray(depth + 1);
      case '"':
        return ParseString(nullptr);
      case 't':
        return ParseLiteral("true");
      case 'f':
        return ParseLiteral("false");
      case 'n':
        return ParseLiteral("null");
      default:
        if (*p_ == '-' || IsDigit(*p_)) return ParseNumber();
        return Fail("unexpected character");
    }
  }

  // p_ is at '{'. When `scan` is set (the top level), records each member.
  bool ParseObject(int depth, ObjectScan* scan) {
    if (depth > kMaxJsonDepth) return Fail("nesting deeper than 64 levels");
    ++p_;
    SkipWhitespace();
    if (p_ != end_ && *p_ == '}') {
      ++p_;
      return true;
    }
    while (true) {
      if (p_ == end_ || *p_ != '"') return Fail("expected a string key");
      const Byte* key_begin = p_;
      bool has_escape = false;
      if (!ParseString(&has_escape)) return false;
      const Byte* key_end = p_ - 1;  // the closing quote
      SkipWhitespace();
      if (p_ == end_ || *p_ != ':') return Fail("expected ':'");
      ++p_;
      SkipWhitespace();
      const Byte* value_begin = p_;
      if (!ParseValue(depth)) return false;
      if (scan != nullptr) RecordMember(*scan, key_begin, key_end, has_escape, value_begin);
      SkipWhitespace();
      if (p_ == end_) return Fail("expected ',' or '}'");
      if (*p_ == ',') {
        ++p_;
        SkipWhitespace();
        continue;
      }
      if (*p_ == '}') {
        ++p_;
        return true;
      }
      return Fail("expected ',' or '}'");
    }
  }

  void RecordMember(ObjectScan& scan, const Byte* key_begin, const Byte* key_end, bool has_escape,
                    const Byte* value_begin) {
    Member& member = scan.members.emplace_back();
    member.key_begin = Offset(key_begin);
    member.value_begin = Offset(value_begin);
    member.value_end = Offset(p_);
    member.type = TypeOf(*value_begin);
    std::string_view raw(reinterpret_cast<const char*>(key_begin + 1),
                         static_cast<std::size_t>(key_end - key_begin - 1));
    if (has_escape) {
      AppendUnescaped(raw, member.key);
    } else {
      member.key.assign(raw);
    }
  }

  static ValueType TypeOf(Byte first) {
    switch (first) {
      case '{':
        return ValueType::kObject;
      case '[':
        return ValueType::kArray;
      case '"':
        return ValueType::kString;
      case 't':
        return ValueType::kTrue;
      case 'f':
        return ValueType::kFalse;
      case 'n':
        return ValueType::kNull;
      default:
        return ValueType::kNumber;
    }
  }

  bool ParseArray(int depth) {
    if (depth > kMaxJsonDepth) return Fail("nesting deeper than 64 levels");
    ++p_;
    SkipWhitespace();
    if (p_ != end_ && *p_ == ']') {
      ++p_;
      return true;
    }
    while (true) {
      if (!ParseValue(depth)) return false;
      SkipWhitespace();
      if (p_ == end_) return Fail("expected ',' or ']'");
      if (*p_ == ',') {
        ++p_;
        SkipWhitespace();
        continue;
      }
      if (*p_ == ']') {
        ++p_;
        return true;
      }
      return Fail("expected ',' or ']'");
    }
  }

  // p_ is at the opening quote; on success p_ is past the closing quote. When `has_escape` is set,
  // reports whether the string had escapes.
  bool ParseString(bool* has_escape) {
    const Byte* p = p_ + 1;
    const Byte* const end = end_;
    bool escaped = false;
    while (true) {
      while (end - p >= 8) {
        std::uint64_t word;
        std::memcpy(&word, p, sizeof(word));
        if (HasStringStop(word)) break;
        p += 8;
      }
      while (p != end && !kStringStop[*p]) ++p;
      if (p == end) {
        p_ = p;
        return Fail("unterminated string");
      }
      const Byte c = *p;
      if (c == '"') break;
      if (c == '\\') {
        escaped = true;
        p_ = p;
        if (!ParseEscape()) return false;
        p = p_;
      } else if (c < 0x20) {
        p_ = p;
        return Fail("control character in string");
      } else {
        const std::size_t length = Utf8SequenceLength(p, end);
        if (length == 0) {
          p_ = p;
          return Fail("invalid UTF-8 in string");
        }
        p += length;
      }
    }
    if (has_escape != nullptr) *has_escape = escaped;
    p_ = p + 1;
    return true;
  }

  // p_ is at a backslash inside a string; on success p_ is past the escape.
  bool ParseEscape() {
    const Byte* start = p_;
    if (end_ - p_ < 2) {
      p_ = end_;
      return Fail("unterminated string");
    }
    switch (p_[1]) {
      case '"':
      case '\\':
      case '/':
      case 'b':
      case 'f':
      case 'n':
      case 'r':
      case 't':
        p_ += 2;
        return true;
      case 'u':
        break;
      default:
        return Fail("invalid escape");
    }
    if (end_ - p_ < 6) {
      p_ = end_;
      return Fail("unterminated string");
    }
    const std::int32_t unit = Hex4(p_ + 2);
    if (unit < 0) return Fail("invalid \\u escape");
    if (IsLowSurrogate(unit)) return Fail("unpaired surrogate in \\u escape");
    p_ += 6;
    if (!IsHighSurrogate(unit)) return true;
    if (end_ - p_ < 6 || p_[0] != '\\' || p_[1] != 'u' || !IsLowSurrogate(Hex4(p_ + 2))) {
      p_ = start;
      return Fail("unpaired surrogate in \\u escape");
    }
    p_ += 6;
    return true;
  }

  // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
  bool ParseNumber() {
    if (*p_ == '-') ++p_;
    if (p_ == end_) return Fail("invalid number");
    if (*p_ == '0') {
      ++p_;
      if (p_ != end_ && IsDigit(*p_)) return Fail("leading zero in number");
    } else if (IsDigit(*p_)) {
      while (p_ != end_ && IsDigit(*p_)) ++p_;
    } else {
      return Fail("invalid number");
    }
    if (p_ != end_ && *p_ == '.') {
      ++p_;
      if (p_ == end_ || !IsDigit(*p_)) return Fail("invalid number");
      while (p_ != end_ && IsDigit(*p_)) ++p_;
    }
    if (p_ != end_ && (*p_ == 'e' || *p_ == 'E')) {
      ++p_;
      if (p_ != end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      if (p_ == end_ || !IsDigit(*p_)) return Fail("invalid number");
      while (p_ != end_ && IsDigit(*p_)) ++p_;
    }
    return true;
  }

  bool ParseLiteral(std::string_view literal) {
    for (char c : literal) {
      if (p_ == end_ || *p_ != static_cast<Byte>(c)) return Fail("invalid literal");
      ++p_;
    }
    return true;
  }

  // The first member whose key repeats an earlier one, or nullptr. Quadratic for the usual handful
  // of members; sorted beyond that, so a body with many keys cannot make this quadratic.
  static const Member* FindDuplicate(const std::vector<Member>& members) {
    constexpr std::size_t kLinearLimit = 32;
    if (members.size() <= kLinearLimit) {
      for (std::size_t j = 1; j < members.size(); ++j) {
        for (std::size_t i = 0; i < j; ++i) {
          if (members[i].key == members[j].key) return &members[j];
        }
      }
      return nullptr;
    }
    std::vector<std::size_t> order(members.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      int c = members[a].key.compare(members[b].key);
      return c != 0 ? c < 0 : a < b;
    });
    const Member* first = nullptr;
    for (std::size_t k = 1; k < order.size(); ++k) {
      const Member& prev = members[order[k - 1]];
      const Member& cur = members[order[k]];
      if (prev.key == cur.key && (first == nullptr || cur.key_begin < first->key_begin)) {
        first = &cur;
      }
    }
    return first;
  }

  const Byte* const begin_;
  const Byte* p_;
  const Byte* const end_;
  const char* error_ = "";
  std::size_t error_offset_ = 0;
};

}  // namespace

Result<ObjectScan> ScanObject(std::string_view text) { return Scanner(text).Run(); }

const Member* FindMember(const ObjectScan& scan, std::string_view key) {
  for (const Member& member : scan.members) {
    if (member.key == key) return &member;
  }
  return nullptr;
}

std::string_view ValueText(std::string_view text, const Member& member) {
  return text.substr(member.value_begin, member.value_end - member.value_begin);
}

std::optional<std::string> StringValue(std::string_view text, const Member& member) {
  if (member.type != ValueType::kString) return std::nullopt;
  std::string out;
  AppendUnescaped(text.substr(member.value_begin + 1, member.value_end - member.value_begin - 2),
                  out);
  return out;
}

void AppendUnescaped(std::string_view escaped, std::string& out) {
  out.reserve(out.size() + escaped.size());
  std::size_t pos = 0;
  while (pos < escaped.size()) {
    const std::size_t backslash = escaped.find('\\', pos);
    if (backslash == std::string_view::npos) {
      out.append(escaped.substr(pos));
      return;
    }
    out.append(escaped.substr(pos, backslash - pos));
    const char kind = escaped[backslash + 1];
    pos = backslash + 2;
    switch (kind) {
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'u': {
        const auto* hex = reinterpret_cast<const Byte*>(escaped.data() + pos);
        std::uint32_t cp = static_cast<std::uint32_t>(Hex4(hex));
        pos += 4;
        if (IsHighSurrogate(static_cast<std::int32_t>(cp))) {
          const auto low = static_cast<std::uint32_t>(Hex4(hex + 6));
          cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          pos += 6;
        }
        AppendUtf8(cp, out);
        break;
      }
      default:  // '"', '\\', '/'
        out += kind;
        break;
    }
  }
}

}  // namespace switchyard::json
