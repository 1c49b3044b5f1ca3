#include "http/header_value.h"

#include <array>

namespace switchyard::http {
namespace {

// What each byte may be, looked up once per byte: every header of every response passes here.
enum ByteClass : unsigned char { kToken = 1, kForbiddenControl = 2 };

constexpr std::array<unsigned char, 256> MakeByteClasses() {
  std::array<unsigned char, 256> classes{};
  for (int c = 0; c < 256; ++c) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (alnum || std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) !=
                     std::string_view::npos) {
      classes[c] = kToken;
    }
    // Control characters a field value may not hold: 0x00-0x1F but HTAB, and DEL.
    if ((c < 0x20 && c != '\t') || c == 0x7f) classes[c] = kForbiddenControl;
  }
  return classes;
}

constexpr std::array<unsigned char, 256> kByteClasses = MakeByteClasses();

// The classes of every byte of `text`, OR-ed (or AND-ed): one branchless pass, no early exit,
// which is cheaper for the short texts of headers than a test per byte.
unsigned char AnyClass(std::string_view text) {
  unsigned char any = 0;
  for (const char c : text) any |= kByteClasses[static_cast<unsigned char>(c)];
  return any;
}

unsigned char AllClasses(std::string_view text) {
  unsigned char all = 0xff;
  for (const char c : text) all &= kByteClasses[static_cast<unsigned char>(c)];
  return all;
}

bool IsForbiddenControl(char c) {
  return kByteClasses[static_cast<unsigned char>(c)] == kForbiddenControl;
}

bool IsFieldSpace(char c) { return c == ' ' || c == '\t'; }

}  // namespace

bool IsHeaderName(std::string_view name) {
  return !name.empty() && (AllClasses(name) & kToken) != 0;
}

bool IsHeaderValue(std::string_view value) {
  if (!value.empty() && (IsFieldSpace(value.front()) || IsFieldSpace(value.back()))) return false;
  return (AnyClass(value) & kForbiddenControl) == 0;
}

std::string SanitizeHeaderValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (!IsForbiddenControl(c)) out.push_back(c);
  }
  // Trimmed after the removal: "a \r" must not leave a trailing space behind.
  const std::size_t end = out.find_last_not_of(" \t");
  if (end == std::string::npos) return {};
  out.erase(end + 1);
  out.erase(0, out.find_first_not_of(" \t"));
  return out;
}

void AppendHeaderField(std::string& out, std::string_view name, std::string_view value) {
  if (!IsHeaderName(name)) return;
  out.append(name).append(": ");
  if (IsHeaderValue(value)) {
    out.append(value);  // the common case: no copy
  } else {
    out.append(SanitizeHeaderValue(value));
  }
  out.append("\r\n");
}

}  // namespace switchyard::http
