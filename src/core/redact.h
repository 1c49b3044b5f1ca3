// Redaction of credentials from text that came from outside (a provider's error message may quote
// the key it refused). Used before such text reaches a client, a log line or the ledger.
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"

namespace switchyard {

// `text` with every occurrence of `secret` (when at least 8 bytes long), and every token that looks
// like a provider key ("sk-…", "sk_…", "gsk_…", "xai-…", "AIza…", masked or not, at least 12
// characters), replaced by "[redacted]".
std::string RedactSecrets(std::string_view text, std::string_view secret);

// Replaces every occurrence of `secret` (when at least 8 bytes long) in `text` with "[redacted]",
// in place, and says whether there was one. Only the exact secret: for whole answers and streams,
// where key-looking words of the model's own text must stay. Costs one search when absent.
bool RemoveSecret(std::string& text, std::string_view secret);

// `error` with RedactSecrets applied to every text it carries (message, type, param, code): an
// error built from a provider's answer may quote the key in any of them.
Error RedactedError(Error error, std::string_view secret);

}  // namespace switchyard
