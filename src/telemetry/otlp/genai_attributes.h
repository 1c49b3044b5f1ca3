// The OpenTelemetry GenAI semantic conventions' attribute names (semconv 1.41, gen-ai-spans.md)
// and the mapping of the ledger's call and attempt records onto them, so that a trace backend's
// GenAI views read the gateway's spans without a custom mapping.
#pragma once

#include <string_view>
#include <vector>

#include "ledger/call_record.h"
#include "telemetry/otlp/span.h"

namespace switchyard::telemetry::otlp::genai {

inline constexpr std::string_view kOperationName = "gen_ai.operation.name";
inline constexpr std::string_view kProviderName = "gen_ai.provider.name";
inline constexpr std::string_view kRequestModel = "gen_ai.request.model";
inline constexpr std::string_view kResponseModel = "gen_ai.response.model";
inline constexpr std::string_view kUsageInputTokens = "gen_ai.usage.input_tokens";
inline constexpr std::string_view kUsageOutputTokens = "gen_ai.usage.output_tokens";
inline constexpr std::string_view kUsageCacheReadInputTokens =
    "gen_ai.usage.cache_read.input_tokens";
inline constexpr std::string_view kUsageCacheCreationInputTokens =
    "gen_ai.usage.cache_creation.input_tokens";
inline constexpr std::string_view kUsageReasoningOutputTokens =
    "gen_ai.usage.reasoning.output_tokens";
// Not in semconv: the gateway's extension (CONTRACT.md "Observability"), in USD.
inline constexpr std::string_view kUsageCost = "gen_ai.usage.cost";

// Well-known values of gen_ai.operation.name.
inline constexpr std::string_view kOperationChat = "chat";
inline constexpr std::string_view kOperationEmbeddings = "embeddings";

// General semconv names the spans use too.
inline constexpr std::string_view kHttpResponseStatusCode = "http.response.status_code";
inline constexpr std::string_view kErrorType = "error.type";

// The gateway's own attributes, under its own namespace as semconv asks of extensions.
inline constexpr std::string_view kRoute = "switchyard.route";
inline constexpr std::string_view kRequestId = "switchyard.request_id";
inline constexpr std::string_view kStream = "switchyard.stream";
inline constexpr std::string_view kCache = "switchyard.cache";
inline constexpr std::string_view kAttemptNumber = "switchyard.attempt.n";
inline constexpr std::string_view kAttemptKind = "switchyard.attempt.kind";
inline constexpr std::string_view kAttemptOutcome = "switchyard.attempt.outcome";
inline constexpr std::string_view kUsageEstimated = "switchyard.usage.estimated";

// The ledger keeps money in nano-dollars; the attribute is USD.
inline double NanosToUsd(std::int64_t nanos) { return static_cast<double>(nanos) / 1e9; }

// The usage attributes of `usage` (none when the provider reported none and nothing was
// estimated). input_tokens is every prompt token, cached ones included, since semconv counts them
// in it and the cache attributes as parts of it; the ledger's input class excludes them.
void AppendUsage(const canonical::Usage& usage, bool estimated, std::vector<Attribute>& out);

// The attributes of a call's server span: its models, serving provider, route, status and the
// usage and cost summed over its attempts (no key names or metadata: traces leave the gateway).
std::vector<Attribute> CallAttributes(const ledger::CallRecord& call);

// The attributes of one attempt's client span. `requested_model` is the call's.
std::vector<Attribute> AttemptAttributes(const ledger::AttemptRecord& attempt,
                                         std::string_view requested_model);

// "{operation} {model}", the span name semconv gives GenAI client spans.
std::string SpanName(std::string_view operation, std::string_view model);

}  // namespace switchyard::telemetry::otlp::genai
