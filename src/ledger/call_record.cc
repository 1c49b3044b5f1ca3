#include "ledger/call_record.h"

namespace switchyard::ledger {

static_assert(static_cast<std::size_t>(AttemptOutcome::kRateLimited) + 1 == kAttemptOutcomeCount,
              "kAttemptOutcomeCount counts every AttemptOutcome");

std::string_view ToString(AttemptOutcome outcome) {
  switch (outcome) {
    case AttemptOutcome::kSuccess: return "success";
    case AttemptOutcome::kUpstreamError: return "upstream_error";
    case AttemptOutcome::kTimeout: return "timeout";
    case AttemptOutcome::kConnectError: return "connect_error";
    case AttemptOutcome::kStreamError: return "stream_error";
    case AttemptOutcome::kCancelled: return "cancelled";
    case AttemptOutcome::kRejected: return "rejected";
    case AttemptOutcome::kRateLimited: return "rate_limited";
  }
  return "unknown";
}

std::string_view ToString(AttemptKind kind) {
  switch (kind) {
    case AttemptKind::kPrimary: return "primary";
    case AttemptKind::kRetry: return "retry";
    case AttemptKind::kFallback: return "fallback";
    case AttemptKind::kRace: return "race";
    case AttemptKind::kHedge: return "hedge";
    case AttemptKind::kCache: return "cache";
    case AttemptKind::kEmbedding: return "embedding";
    case AttemptKind::kGuardrail: return "guardrail";
    case AttemptKind::kShadow: return "shadow";
    case AttemptKind::kJudge: return "judge";
  }
  return "unknown";
}

canonical::Usage CallRecord::TotalUsage() const {
  canonical::Usage total;
  for (const AttemptRecord& attempt : attempts) {
    const canonical::Usage& u = attempt.usage;
    total.input_tokens += u.input_tokens;
    total.cached_input_tokens += u.cached_input_tokens;
    total.cache_write_tokens += u.cache_write_tokens;
    total.cache_write_1h_tokens += u.cache_write_1h_tokens;
    total.output_tokens += u.output_tokens;
    total.reasoning_tokens += u.reasoning_tokens;
    total.reported = total.reported || u.reported;
  }
  return total;
}

std::optional<std::int64_t> CallRecord::TotalCostNanos() const {
  std::int64_t total = 0;
  for (const AttemptRecord& attempt : attempts) {
    if (!attempt.cost_nanos) return std::nullopt;
    total += *attempt.cost_nanos;
  }
  return total;
}

bool CallRecord::AnyEstimated() const {
  for (const AttemptRecord& attempt : attempts) {
    if (attempt.usage_estimated) return true;
  }
  return false;
}

std::string_view JudgementRecord::StoredReason() const {
  std::string_view text = reason;
  if (text.size() <= kMaxStoredReasonBytes) return text;
  std::size_t cut = kMaxStoredReasonBytes;
  // text[cut] is the first byte left out: while it continues a character, that character
  // started inside the kept part and would be left broken, so it goes too.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut);
}

}  // namespace switchyard::ledger
