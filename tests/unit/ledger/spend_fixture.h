// The spend fixture: five calls with every grouping's corner (no key, no route, no attempt, unknown
// prices, a fallback to another provider, UTC midnight), shared by the SQLite reader's tests (which
// check it against hand-computed figures) and the PostgreSQL ledger's tests (which check that the
// PostgreSQL backend answers exactly as the SQLite one does for it).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ledger/call_record.h"
#include "unit/ledger/ledger_test_util.h"

namespace switchyard::ledger::testing_util {

// Five calls over two UTC days (one a millisecond before midnight, one at midnight). Every figure in
// the expectations of ledger_reader_test.cc is computed by hand from this table:
//
//  id     time (UTC)               key     route      served by           metadata
//  req-a  03-01 10:00:00.000       team-a  resilient  anthropic/claude-x  feature=search
//         1 primary  openai/gpt-4o-mini  429, no tokens                      cost 0
//         2 fallback anthropic/claude-x  in 100 cached 20 w5m 30 w1h 40 out 50   cost 1234
//  req-b  03-01 23:59:59.999       team-a  -          openai/gpt-4o-mini  feature=chat
//         1 primary  openai/gpt-4o-mini  in 1000 cached 500 out 200 (reasoning 50)  cost 2'500'000
//  req-c  03-02 00:00:00.000       team-b  resilient  groq/llama          feature=search
//         1 primary  groq/llama          in 10 out 5                       cost unknown
//  req-d  03-02 12:00:00.000       -       -          - (401, no attempt) -
//  req-e  03-02 13:00:00.000       team-b  quick      openai/gpt-4o-mini  user=u2
//         1 primary  groq/llama          in 10 out 3 (cancelled)           cost unknown
//         2 fallback openai/gpt-4o-mini  in 300 out 100 (reasoning 40)     cost 7'000'001
//
// req-a is the one call on which guardrails fired: "pii-out:redact,tone:flag".
inline std::vector<CallRecord> SpendFixtureCalls() {
  auto call = [](std::string id, std::string_view time, std::string key, std::string route,
                 std::string provider, std::string model, std::string metadata) {
    CallRecord record;
    record.request_id = std::move(id);
    record.time = At(time);
    record.key_name = std::move(key);
    record.method = "POST";
    record.path = "/v1/chat/completions";
    record.inbound = "openai";
    record.requested_model = route.empty() ? provider + "/" + model : route;
    record.route = std::move(route);
    record.provider = std::move(provider);
    record.model = std::move(model);
    record.status = 200;
    record.latency_ms = 500;
    record.metadata_json = std::move(metadata);
    return record;
  };
  std::vector<CallRecord> calls;
  calls.push_back(call("req-a", "2026-03-01T10:00:00Z", "team-a", "resilient", "anthropic",
                       "claude-x", R"({"feature":"search","user":"u1"})"));
  calls.back().attempts.push_back(Attempt(1, "openai", "gpt-4o-mini", Tokens(0, 0, 0, 0, 0, 0), 0,
                                          AttemptOutcome::kUpstreamError, 429));
  calls.back().attempts.back().reason = "rate limited";
  calls.back().attempts.push_back(
      Attempt(2, "anthropic", "claude-x", Tokens(100, 20, 30, 40, 50, 0), 1234));
  calls.back().guardrails = "pii-out:redact,tone:flag";

  calls.push_back(call("req-b", "2026-03-01T23:59:59.999Z", "team-a", "", "openai", "gpt-4o-mini",
                       R"({"feature":"chat"})"));
  calls.back().attempts.push_back(
      Attempt(1, "openai", "gpt-4o-mini", Tokens(1000, 500, 0, 0, 200, 50), 2'500'000));

  calls.push_back(call("req-c", "2026-03-02T00:00:00Z", "team-b", "resilient", "groq", "llama",
                       R"({"feature":"search"})"));
  calls.back().attempts.push_back(Attempt(1, "groq", "llama", Tokens(10, 0, 0, 0, 5, 0),
                                          std::nullopt));

  calls.push_back(call("req-d", "2026-03-02T12:00:00Z", "", "", "", "", ""));
  calls.back().status = 401;
  calls.back().error = "missing gateway key";

  calls.push_back(call("req-e", "2026-03-02T13:00:00Z", "team-b", "quick", "openai",
                       "gpt-4o-mini", R"({"user":"u2"})"));
  calls.back().attempts.push_back(Attempt(1, "groq", "llama", Tokens(10, 0, 0, 0, 3, 0),
                                          std::nullopt, AttemptOutcome::kCancelled, 0));
  calls.back().attempts.push_back(
      Attempt(2, "openai", "gpt-4o-mini", Tokens(300, 0, 0, 0, 100, 40), 7'000'001));
  calls.back().attempts.back().ttft_ms = 80;
  return calls;
}

}  // namespace switchyard::ledger::testing_util
