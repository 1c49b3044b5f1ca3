// FNV-1a 64: a hash that is the same on every build and platform (unlike std::hash), for what
// must not change between runs or gateways — a sticky pick, an experiment's epoch, a seeded draw
// of the demo. Not cryptographic. `hash` continues a hash of earlier bytes (the offset basis to
// start), so that fields can be hashed one after another.
#pragma once

#include <cstdint>
#include <string_view>

namespace switchyard {

inline constexpr std::uint64_t kFnv1a64Offset = 0xcbf29ce484222325ull;

constexpr std::uint64_t Fnv1a64(std::string_view bytes, std::uint64_t hash = kFnv1a64Offset) {
  for (char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ull;
  }
  return hash;
}

}  // namespace switchyard
