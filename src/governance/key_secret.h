// Virtual key secrets: how they are made, shown and stored. A secret is "sy-" and 43 characters
// of base62 (256 bits from OpenSSL's CSPRNG); the ledger keeps only its SHA-256 (hex) and its first
// characters (the prefix, to tell keys apart in listings). The secret is shown once, when made.
//
// Looking a presented key up by its hash needs no constant-time comparison: an attacker who could
// time the lookup learns about a hash, which tells nothing about any key.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace switchyard::governance {

// Fail only when the system's random generator does (no entropy): then no key can be made safely.
Result<std::string> NewKeySecret();
Result<std::string> NewKeyId();  // "key_" and 16 hex digits; not secret
std::string HashKey(std::string_view secret);  // hex SHA-256
std::string KeyPrefix(std::string_view secret);  // "sy-" and 6 more characters

}  // namespace switchyard::governance
