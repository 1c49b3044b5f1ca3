#include "core/secret.h"


#include <algorithm>
#include <cstddef>

namespace switchyard {

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  // Compare over the longer length so that a short guess costs the same as a long one; the length
  // difference itself folds into the result without an early exit.
  const std::size_t n = std::max(a.size(), b.size());
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (std::size_t i = 0; i < n; ++i) {
    const unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
    const unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
    diff |= static_cast<unsigned char>(x ^ y);
  }
  return diff == 0;
}

}  // namespace switchyard
