#include "telemetry/otlp/genai_attributes.h"

#include <string>

namespace switchyard::telemetry::otlp::genai {
namespace {

std::string_view OperationOfPath(std::string_view path) {
  return path.find("embeddings") != std::string_view::npos ? kOperationEmbeddings : kOperationChat;
}

void AppendString(std::string_view key, std::string_view value, std::vector<Attribute>& out) {
  if (!value.empty()) out.push_back(Attribute::String(std::string(key), std::string(value)));
}

}  // namespace

void AppendUsage(const canonical::Usage& usage, bool estimated, std::vector<Attribute>& out) {
  if (!usage.reported && !estimated) return;
  out.push_back(Attribute::Int(std::string(kUsageInputTokens), usage.prompt_total()));
  out.push_back(Attribute::Int(std::string(kUsageOutputTokens), usage.output_tokens));
  out.push_back(Attribute::Int(std::string(kUsageCacheReadInputTokens), usage.cached_input_tokens));
  out.push_back(Attribute::Int(std::string(kUsageCacheCreationInputTokens),
                               usage.cache_write_tokens + usage.cache_write_1h_tokens));
  out.push_back(Attribute::Int(std::string(kUsageReasoningOutputTokens), usage.reasoning_tokens));
  if (estimated) out.push_back(Attribute::Bool(std::string(kUsageEstimated), true));
}

std::vector<Attribute> CallAttributes(const ledger::CallRecord& call) {
  std::vector<Attribute> out;
  AppendString(kOperationName, OperationOfPath(call.path), out);
  AppendString(kProviderName, call.provider, out);
  AppendString(kRequestModel, call.requested_model, out);
  AppendString(kResponseModel, call.model, out);
  AppendString(kRoute, call.route, out);
  AppendString(kRequestId, call.request_id, out);
  if (call.status != 0) {
    out.push_back(Attribute::Int(std::string(kHttpResponseStatusCode), call.status));
  }
  if (call.status >= 400) {
    out.push_back(Attribute::String(std::string(kErrorType), std::to_string(call.status)));
  }
  out.push_back(Attribute::Bool(std::string(kStream), call.stream));
  AppendString(kCache, call.cache, out);
  AppendUsage(call.TotalUsage(), call.AnyEstimated(), out);
  if (const auto cost = call.TotalCostNanos()) {
    out.push_back(Attribute::Double(std::string(kUsageCost), NanosToUsd(*cost)));
  }
  return out;
}

std::vector<Attribute> AttemptAttributes(const ledger::AttemptRecord& attempt,
                                         std::string_view requested_model) {
  std::vector<Attribute> out;
  AppendString(
      kOperationName,
      attempt.kind == ledger::AttemptKind::kEmbedding ? kOperationEmbeddings : kOperationChat, out);
  AppendString(kProviderName, attempt.provider, out);
  AppendString(kRequestModel, requested_model.empty() ? attempt.model : requested_model, out);
  AppendString(kResponseModel, attempt.model, out);
  out.push_back(Attribute::Int(std::string(kAttemptNumber), attempt.n));
  AppendString(kAttemptKind, ledger::ToString(attempt.kind), out);
  AppendString(kAttemptOutcome, ledger::ToString(attempt.outcome), out);
  if (attempt.http_status != 0) {
    out.push_back(Attribute::Int(std::string(kHttpResponseStatusCode), attempt.http_status));
  }
  if (attempt.outcome != ledger::AttemptOutcome::kSuccess) {
    AppendString(kErrorType, ledger::ToString(attempt.outcome), out);
  }
  AppendUsage(attempt.usage, attempt.usage_estimated, out);
  if (attempt.cost_nanos) {
    out.push_back(Attribute::Double(std::string(kUsageCost), NanosToUsd(*attempt.cost_nanos)));
  }
  return out;
}

std::string SpanName(std::string_view operation, std::string_view model) {
  std::string name(operation);
  if (!model.empty()) {
    name += ' ';
    name += model;
  }
  return name;
}

}  // namespace switchyard::telemetry::otlp::genai
