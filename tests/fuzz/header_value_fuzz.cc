// libFuzzer target for the header-value sanitiser (http/header_value.h), the one place every header
// the gateway writes passes through. Properties: the sanitised value never holds CR, LF, NUL or
// another control character but HTAB, nor surrounding whitespace; sanitising is idempotent; a valid
// value is kept unchanged; an appended field is exactly one "name: value\r\n" line, or nothing when
// the name is not a token. The first input byte splits the rest into a name and a value.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "http/header_value.h"

namespace {

using namespace switchyard::http;

bool HasForbiddenByte(std::string_view text) {
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && byte != '\t') || byte == 0x7f) return true;
  }
  return false;
}

void CheckValue(std::string_view value) {
  const std::string once = SanitizeHeaderValue(value);
  if (HasForbiddenByte(once) || !IsHeaderValue(once)) std::abort();
  if (!once.empty() && (once.front() == ' ' || once.front() == '\t' || once.back() == ' ' ||
                        once.back() == '\t')) {
    std::abort();
  }
  if (SanitizeHeaderValue(once) != once) std::abort();            // idempotent
  if (IsHeaderValue(value) && once != value) std::abort();         // valid values unchanged
  if (!IsHeaderValue(value) && once == value) std::abort();        // invalid ones are changed
}

void CheckField(std::string_view name, std::string_view value) {
  std::string out;
  AppendHeaderField(out, name, value);
  if (!IsHeaderName(name)) {
    if (!out.empty()) std::abort();
    return;
  }
  const std::string expected = std::string(name) + ": " + SanitizeHeaderValue(value) + "\r\n";
  if (out != expected) std::abort();
  // One line: the only CR and LF are its end.
  if (out.find_first_of(std::string_view("\r\n\0", 3)) != out.size() - 2) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  const std::size_t split = data[0] % (rest.size() + 1);
  CheckValue(rest);
  CheckField(rest.substr(0, split), rest.substr(split));
  return 0;
}
