#include "core/redact.h"

#include <array>
#include <cctype>

namespace switchyard {
namespace {

constexpr std::string_view kRedacted = "[redacted]";

bool IsKeyChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '*';
}

// The length of a key-looking token starting at `i`, or 0.
std::size_t KeyLikeTokenAt(std::string_view text, std::size_t i) {
  static constexpr std::array<std::string_view, 5> kPrefixes = {"sk-", "sk_", "gsk_", "xai-",
                                                                "AIza"};
  if (i > 0 && IsKeyChar(text[i - 1])) return 0;  // only at the start of a token
  for (std::string_view prefix : kPrefixes) {
    if (text.substr(i, prefix.size()) != prefix) continue;
    std::size_t end = i + prefix.size();
    while (end < text.size() && IsKeyChar(text[end])) ++end;
    if (end - i >= 12) return end - i;
  }
  return 0;
}

}  // namespace

std::string RedactSecrets(std::string_view text, std::string_view secret) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    if (secret.size() >= 8 && text.substr(i, secret.size()) == secret) {
      out.append(kRedacted);
      i += secret.size();
      continue;
    }
    if (const std::size_t token = KeyLikeTokenAt(text, i); token > 0) {
      out.append(kRedacted);
      i += token;
      continue;
    }
    out.push_back(text[i++]);
  }
  return out;
}

bool RemoveSecret(std::string& text, std::string_view secret) {
  if (secret.size() < 8) return false;
  std::size_t at = text.find(secret);
  if (at == std::string::npos) return false;
  for (; at != std::string::npos; at = text.find(secret, at + kRedacted.size())) {
    text.replace(at, secret.size(), kRedacted);
  }
  return true;
}

Error RedactedError(Error error, std::string_view secret) {
  for (std::string* text : {&error.message, &error.type, &error.param, &error.code}) {
    *text = RedactSecrets(*text, secret);
  }
  return error;
}

}  // namespace switchyard
