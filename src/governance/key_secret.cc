#include "governance/key_secret.h"

#include <fmt/format.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <array>

namespace switchyard::governance {
namespace {

constexpr std::string_view kAlphabet =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

template <std::size_t N>
Result<std::array<unsigned char, N>> RandomBytes() {
  std::array<unsigned char, N> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    return Error::Unavailable("the system's random number generator failed");
  }
  return bytes;
}

// Appends base62 characters drawn from `bytes` until `out` is `length` long; false when the
// generator fails. Out of line on purpose: inlined, GCC 12 knows the string's length and reports a
// false -Warray-bounds on its move into the Result.
[[gnu::noinline]] bool FillSecret(std::string& out, std::size_t length) {
  while (out.size() < length) {
    auto bytes = RandomBytes<64>();
    if (!bytes) return false;
    // Rejection sampling keeps every character uniform: 248 = 4 × 62.
    for (unsigned char byte : *bytes) {
      if (byte < 248 && out.size() < length) out += kAlphabet[byte % 62];
    }
  }
  return true;
}

[[gnu::noinline]] bool FillHex(std::string& out) {
  auto bytes = RandomBytes<8>();
  if (!bytes) return false;
  for (unsigned char byte : *bytes) out += fmt::format("{:02x}", byte);
  return true;
}

Error NoRandomness() {
  return Error::Unavailable("the system's random number generator failed: no key was made");
}

}  // namespace

Result<std::string> NewKeySecret() {
  std::string secret = "sy-";
  if (!FillSecret(secret, 3 + 43)) return NoRandomness();
  return secret;
}

Result<std::string> NewKeyId() {
  std::string id = "key_";
  if (!FillHex(id)) return NoRandomness();
  return id;
}

std::string HashKey(std::string_view secret) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
  SHA256(reinterpret_cast<const unsigned char*>(secret.data()), secret.size(), digest.data());
  std::string hex;
  hex.reserve(digest.size() * 2);
  for (unsigned char byte : digest) hex += fmt::format("{:02x}", byte);
  return hex;
}

std::string KeyPrefix(std::string_view secret) { return std::string(secret.substr(0, 9)); }

}  // namespace switchyard::governance
