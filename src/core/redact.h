// Redaction of credentials from text that came from outside (a provider's error message may quote
// the key it refused). Used before such text reaches a client, a log line or the ledger.
#pragma once

#include <string>
#include <string_view>

namespace switchyard {

// `text` with every occurrence of `secret` (when at least 8 bytes long), and every token that looks
// like a provider key ("sk-…", "sk_…", "gsk_…", "xai-…", "AIza…", masked or not, at least 12
// characters), replaced by "[redacted]".
std::string RedactSecrets(std::string_view text, std::string_view secret);

}  // namespace switchyard
