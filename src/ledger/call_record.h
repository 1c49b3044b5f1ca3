// CallRecord: what the gateway knows about one client call and every upstream attempt inside it —
// the row the ledger and the access log are written from. Built on the request path and handed to
// the sinks whole when the call ends (never partially, never lost on an error path).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "canonical/usage.h"

namespace switchyard::ledger {

// How one attempt ended; the router decides from this whether another attempt may help.
enum class AttemptOutcome {
  kSuccess,        // 2xx and the whole answer delivered
  kUpstreamError,  // the provider answered with an error status
  kTimeout,        // a deadline ran out
  kConnectError,   // the provider could not be reached
  kStreamError,    // the response broke off after it had started
  kCancelled,      // the client left, or the router abandoned the attempt
  kRejected,       // a whole answer that failed the route's accept checks (a race or hedge)
  kRateLimited,    // not sent: the gateway's own rate limit of the model was used up (governance)
};
inline constexpr std::size_t kAttemptOutcomeCount = 8;  // keep with the last enumerator above

std::string_view ToString(AttemptOutcome outcome);

// race: started together with others, the first acceptable answer wins; hedge: started because
// the attempts in flight were slow (routing/launch_policy.h). cache: the answer came from the
// response cache (no provider was called; cost $0, `saved_nanos` what the stored answer had cost);
// embedding: the semantic cache embedding the request's text through a configured model.
enum class AttemptKind {
  kPrimary, kRetry, kFallback, kRace, kHedge, kCache, kEmbedding,
  kGuardrail,  // an llm guardrail's judge model
  kShadow,     // an `ab` experiment's other variant, asked the same request after the answer
  kJudge,      // an `ab` experiment's judge model, comparing or scoring answers after the answer
};
std::string_view ToString(AttemptKind kind);

struct AttemptRecord {
  int n = 1;  // 1-based, in the order attempts started
  AttemptKind kind = AttemptKind::kPrimary;
  std::string provider;  // as configured
  std::string model;     // as sent upstream
  AttemptOutcome outcome = AttemptOutcome::kSuccess;
  int http_status = 0;   // the provider's status; 0 when none arrived
  std::string reason;    // why it failed or why the router moved on; empty on success
  canonical::Usage usage;
  bool usage_estimated = false;  // a stream cut short: priced from what arrived
  // The attempt's cost in nano-dollars (1e-9 USD), rounded once (DESIGN.md "Money"); empty when the
  // model's price is unknown — never 0 for unknown.
  std::optional<std::int64_t> cost_nanos;
  std::int64_t latency_ms = 0;
  std::optional<std::int64_t> ttft_ms;  // streams: time to the first content byte
  // kCache: what the answer it replayed cost when a provider produced it (the spend it saved);
  // empty for every other kind, and when that cost was unknown.
  std::optional<std::int64_t> saved_nanos;
};

// One judgement of a call of an `ab` experiment (issue 17, CONTRACT.md "Admin API"), made after
// the client had its answer and written with the call's late attempts (CallRecord::late).
//   pairwise: the control (the experiment's first variant, "A") against one other variant ("B"),
//             one of the two having served the call and the other asked as a shadow; `outcome`
//             is B's: b_wins | a_wins | tie | invalid (the judge's verdict was malformed twice).
//   score:    the served variant (`variant_b`; `variant_a` empty) scored 1..10 against the
//             rubric; `outcome` scored | invalid.
struct JudgementRecord {
  std::string route;
  std::string epoch;      // the experiment's epoch (a new one whenever its variants change)
  std::string mode;       // pairwise | score
  std::string variant_a;  // the control; empty in score mode
  std::string variant_b;
  std::string served;     // which of them served the call
  std::string outcome;
  std::optional<int> score;  // score mode, when valid
  // The judge's verdict in each order, "1" | "2" | "tie" | "invalid" (a_first: A shown as Answer
  // 1); score mode uses a_first only, as the score's text.
  std::string a_first;
  std::string b_first;
  std::string reason;  // the judge's reasons, redacted and bounded (ExperimentStore keeps 500 bytes)
  // What the shadow and judge attempts cost together; empty when any price is unknown.
  std::optional<std::int64_t> cost_nanos;
  std::chrono::system_clock::time_point time;  // when the judgement was made

  static constexpr std::size_t kMaxStoredReasonBytes = 500;
  // `reason` as the ledger and the access log keep it: its first kMaxStoredReasonBytes bytes at
  // most, cut before a UTF-8 character that would not fit whole (a view into `reason`).
  std::string_view StoredReason() const;
};

struct CallRecord {
  std::string request_id;
  std::chrono::system_clock::time_point time;
  std::string key_name;   // the gateway key's name, never the key
  std::string key_id;     // the key's id (a virtual key's, or "config:NAME"); empty: no key
  std::string team;       // the key's team, when it has one
  // The soft budgets this call passed ("key:ID month", comma-separated); empty when none
  // (CONTRACT.md "Governance": a soft budget alerts and marks the call).
  std::string budget_alert;
  // Why the governance refused the call before any attempt: "budget", "rate_limit", "model";
  // empty when it did not (for the metrics, not the ledger).
  std::string refused_by;
  std::string method;
  std::string path;
  std::string inbound;    // the client API: "openai" | "anthropic"
  std::string requested_model;
  std::string route;      // the route name, when the model named one
  std::string provider;   // of the attempt that served the answer (or the last one tried)
  std::string model;
  int status = 0;         // the status the client got
  bool stream = false;
  std::string error;      // the message the client got, on failure
  std::int64_t latency_ms = 0;
  std::optional<std::int64_t> ttft_ms;
  std::vector<AttemptRecord> attempts;
  std::string metadata_json;  // x-switchyard-metadata, as sent (validated JSON object)
  // The response cache's part in the call: "hit" | "semantic-hit" | "miss" | "refresh"; empty when
  // the call did not opt in (CONTRACT.md "Cache").
  std::string cache;
  // The guardrails that fired on the call, "name:action" comma-separated in the order they fired
  // (CONTRACT.md "Guardrails"; action deny | redact | flag | fallback); empty when none did.
  std::string guardrails;
  // An `ab` route's call: the variant that served it and the experiment's epoch (issue 17);
  // both empty for every other call.
  std::string variant;
  std::string epoch;

  // A record that adds to a call already recorded, under its request id (CONTRACT.md "Admin
  // API": attempts that end after the client has its answer — shadow and judge calls): `attempts`
  // (numbered after the call's own) are appended and their cost added to the call's, and
  // `judgement`, when present, is stored with them. Only request_id, time, attempts and judgement
  // are read. Sinks take it through CallSink::RecordLate.
  bool late = false;
  std::optional<JudgementRecord> judgement;

  canonical::Usage TotalUsage() const;
  // The sum of the attempts' costs; empty when any attempt's price is unknown.
  std::optional<std::int64_t> TotalCostNanos() const;
  // Whether any attempt's usage was estimated (a stream cut short).
  bool AnyEstimated() const;
};

}  // namespace switchyard::ledger
