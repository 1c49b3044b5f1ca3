// Digest: the fixed-size name of a cache entry or of a semantic partition — a SHA-256 of what it
// stands for (cache_key.h says what goes in). Fixed size on purpose: a request's whole body never
// becomes a key (a Redis key, a map key), however large it is.
#pragma once

#include <array>
#include <cstddef>
#include <cstring>
#include <string>
#include <string_view>

namespace switchyard::cache {

struct Digest {
  std::array<unsigned char, 32> bytes{};

  // SHA-256 of `data`.
  static Digest Of(std::string_view data);
  // 64 lower-case hex digits.
  std::string Hex() const;
  // The inverse of Hex(); false (and `out` untouched) for anything else.
  static bool FromHex(std::string_view hex, Digest& out);

  friend bool operator==(const Digest&, const Digest&) = default;
};

struct DigestHash {
  std::size_t operator()(const Digest& digest) const noexcept {
    std::size_t h;  // a SHA-256 is uniform: its first bytes are a hash already
    std::memcpy(&h, digest.bytes.data(), sizeof h);
    return h;
  }
};

}  // namespace switchyard::cache
