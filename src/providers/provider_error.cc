#include "providers/provider_error.h"

#include "core/redact.h"

namespace switchyard::providers {

ProviderError Redacted(ProviderError error, std::string_view key) {
  for (std::string* text : {&error.message, &error.type, &error.code}) {
    *text = RedactSecrets(*text, key);
  }
  return error;
}

ErrorClass ClassifyStatus(int status) {
  switch (status) {
    case 401: case 402: case 403: case 404:
      return ErrorClass::kFallBack;
    case 408: case 409: case 429: case 529:
      return ErrorClass::kRetryable;
    default:
      return status >= 500 ? ErrorClass::kRetryable : ErrorClass::kFatal;
  }
}

}  // namespace switchyard::providers
