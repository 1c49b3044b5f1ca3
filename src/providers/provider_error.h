// ProviderError: a provider's error answer, read out of whatever shape that provider uses, and
// classified so that routing strategies never parse bodies or look at provider names (STYLE.md 2.3).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace switchyard::providers {

// What another attempt could achieve after this error (CONTRACT.md, "Fallback moves on ...").
enum class ErrorClass {
  kRetryable,  // 408, 409, 429 (rate), 5xx, 529: the same target may succeed later
  kFallBack,   // 401/402/403/404, quota exhaustion: this target will not succeed, another may
  kFatal,      // 400/413/422: the request itself is wrong; no target will take it
};

struct ProviderError {
  // The HTTP status this error stands for, which the client is shown (in its API's terms): the
  // provider's own, unless the adapter knows the provider misreports it (e.g. Gemini answers an
  // invalid key with 400 API_KEY_INVALID; it stands for a 401). 0: the provider's status.
  int status = 0;
  std::string message;  // the provider's own message (never the raw body of another format)
  std::string type;     // the provider's error type, when it gave one
  std::string code;     // the provider's error code, when it gave one
  ErrorClass error_class = ErrorClass::kFatal;
  // The prompt (with max tokens) does not fit the model's context window. Such an error stays
  // kFatal, but fallback may move on to a later target with a larger window (CONTRACT.md).
  bool context_length = false;
  // How long the provider's error body asks to wait before another try, when the format says so
  // there (Gemini's google.rpc.RetryInfo retryDelay); formats that say it in headers leave it empty
  // (ProviderAdapter::RateLimitReset reads those).
  std::optional<std::chrono::milliseconds> retry_delay;
};

// `error` with every text it carries from the provider redacted (core/redact.h): the attempt's
// `key` and anything that looks like a provider key. A provider may quote the key it refused in
// any field (message, type, code); the gateway takes every parsed error through here once, before
// any of it reaches a client, a log line or the ledger — a new text field belongs in here too.
ProviderError Redacted(ProviderError error, std::string_view key);

// The class a status implies, before any body-specific refinement.
ErrorClass ClassifyStatus(int status);

}  // namespace switchyard::providers
