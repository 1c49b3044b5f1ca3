#include "providers/gemini/gemini_error_parser.h"

#include <algorithm>
#include <cctype>
#include <fmt/format.h>
#include <string>

#include "canonical/json_values.h"
#include "core/time_text.h"
#include "wire/gemini/gemini_format.h"

namespace switchyard::providers::gemini {
using wire::gemini::ErrorTypeForGeminiStatus;
using wire::gemini::ErrorTypeForHttpStatus;
using wire::gemini::ParseGeminiObject;
namespace json = boost::json;
using canonical::StringField;

namespace {

// What the error object says beyond its message.
struct Details {
  std::string reason;      // ErrorInfo.reason, e.g. API_KEY_INVALID
  bool daily_quota = false;  // a QuotaFailure violation counts per day
  std::optional<std::chrono::milliseconds> retry_delay;  // RetryInfo.retryDelay
};

bool SaysPerDay(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower.find("perday") != std::string::npos || lower.find("per_day") != std::string::npos ||
         lower.find("per day") != std::string::npos;
}

// google.rpc.RetryInfo's retryDelay, a protobuf Duration in its JSON form: decimal seconds with an
// "s" ("37s", "1.5s").
void ReadRetryInfo(const json::object& detail, Details& out) {
  if (!StringField(detail, "@type").ends_with("google.rpc.RetryInfo")) return;
  const std::string delay = StringField(detail, "retryDelay");
  if (!delay.ends_with('s') ||
      delay.find_first_not_of("0123456789.") != delay.size() - 1) {
    return;
  }
  out.retry_delay = ParseGoDuration(delay);
}

void ReadViolations(const json::object& detail, Details& out) {
  const json::value* violations = detail.if_contains("violations");
  if (violations == nullptr || !violations->is_array()) return;
  for (const json::value& violation : violations->get_array()) {
    const json::object* v = violation.if_object();
    if (v == nullptr) continue;
    if (SaysPerDay(StringField(*v, "quotaId")) || SaysPerDay(StringField(*v, "quotaMetric"))) {
      out.daily_quota = true;
    }
  }
}

Details ReadDetails(const json::object& error) {
  Details out;
  const json::value* details = error.if_contains("details");
  if (details == nullptr || !details->is_array()) return out;
  for (const json::value& item : details->get_array()) {
    const json::object* detail = item.if_object();
    if (detail == nullptr) continue;
    if (out.reason.empty()) out.reason = StringField(*detail, "reason");
    ReadViolations(*detail, out);
    ReadRetryInfo(*detail, out);
  }
  return out;
}

ErrorClass ClassFor(int status, std::string_view grpc_status, const Details& details,
                    std::string_view message) {
  if (details.reason == "API_KEY_INVALID") return ErrorClass::kFallBack;
  if (grpc_status == "FAILED_PRECONDITION") return ErrorClass::kFallBack;
  if (grpc_status == "RESOURCE_EXHAUSTED" || status == 429) {
    return details.daily_quota || SaysPerDay(message) ? ErrorClass::kFallBack
                                                      : ErrorClass::kRetryable;
  }
  if (status < 400 && (grpc_status == "UNAVAILABLE" || grpc_status == "INTERNAL" ||
                       grpc_status == "DEADLINE_EXCEEDED")) {
    return ErrorClass::kRetryable;
  }
  return ClassifyStatus(status);
}

}  // namespace

ProviderError ParseGeminiError(int status, std::string_view body) {
  ProviderError error;
  error.status = status;
  std::string grpc_status;
  Details details;
  int body_code = 0;
  if (std::optional<json::object> root = ParseGeminiObject(body)) {
    const json::object* inner = canonical::ObjectField(*root, "error");
    const json::object& source = inner != nullptr ? *inner : *root;
    error.message = StringField(source, "message");
    grpc_status = StringField(source, "status");
    body_code = static_cast<int>(std::min<std::int64_t>(canonical::CountField(source, "code"), 999));
    details = ReadDetails(source);
  }
  if (error.message.empty()) {
    error.message = fmt::format("the provider answered with HTTP status {}", status);
  }
  const int effective = status >= 400 || body_code == 0 ? status : body_code;
  error.type = std::string(ErrorTypeForGeminiStatus(grpc_status));
  if (error.type.empty()) error.type = std::string(ErrorTypeForHttpStatus(effective));
  if (details.reason == "API_KEY_INVALID") {
    // Gemini answers a bad key with 400 INVALID_ARGUMENT; clients are owed the 401 it stands for.
    error.type = "authentication_error";
    error.status = 401;
  }
  error.code = details.reason.empty() ? grpc_status : details.reason;
  error.error_class = ClassFor(effective, grpc_status, details, error.message);
  // "The input token count (1200000) exceeds the maximum number of tokens allowed (1048576)."
  error.retry_delay = details.retry_delay;
  error.context_length = effective == 400 && grpc_status == "INVALID_ARGUMENT" &&
                         error.message.find("exceeds the maximum number of tokens") !=
                             std::string::npos;
  return error;
}

}  // namespace switchyard::providers::gemini
