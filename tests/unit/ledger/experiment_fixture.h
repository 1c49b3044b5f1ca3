// The experiments fixture: calls of an `ab` route's epoch with their late shadow and judge attempts
// and judgements, written through a ledger sink, and the ExperimentStore's answers for them —
// shared by the SQLite store's tests and the PostgreSQL store's, so that both backends are held to
// the same figures.
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "ledger/call_sink.h"
#include "ledger/experiment_store.h"
#include "unit/ledger/ledger_test_util.h"

namespace switchyard::ledger::testing_util {

// Route "trial", epoch "e1" unless said otherwise; T = 2026-05-01T12:00:00Z. Costs in nano-dollars
// ("?": unknown); the late records' attempts are numbered after their call's.
//
//  id       variant  status  latency  time    attempts             late attempts    judgement
//  req-a1   a        200     100      T+1s    primary 10           shadow 5 judge 3 a_wins T+1.5s 8
//  req-a2   a        500     50       T+2s    primary 10, fallback 20
//  req-a3   a        499     30       T+3s    primary ?
//  req-a4   a        200     300      T+4s    primary 10           shadow ?
//  req-b1   b        200     200      T+1s    primary 40           judge 2          b_wins T+1.2s ?
//  req-b2   b        429     5        T+2s    primary 0
//  req-old  a, e0    200     70       T-1d    primary 10           judge 100        score 7, 100
//  req-oth  a, route "other"          T+1s    primary 10
//  req-pre  none: route trial, no epoch       primary 10
inline constexpr std::string_view kExperimentT = "2026-05-01T12:00:00Z";

inline std::chrono::system_clock::time_point ExperimentTime(int offset_ms) {
  return At(kExperimentT) + std::chrono::milliseconds(offset_ms);
}

inline CallRecord ExperimentCall(const std::string& id, const std::string& variant, int status,
                                 std::int64_t latency_ms, int offset_ms,
                                 std::vector<std::optional<std::int64_t>> costs) {
  CallRecord call = SimpleCall(id, static_cast<int>(costs.size()));
  call.route = "trial";
  call.epoch = "e1";
  call.variant = variant;
  call.status = status;
  call.latency_ms = latency_ms;
  call.time = ExperimentTime(offset_ms);
  for (std::size_t i = 0; i < costs.size(); ++i) call.attempts[i].cost_nanos = costs[i];
  return call;
}

inline AttemptRecord LateAttempt(int n, AttemptKind kind, std::optional<std::int64_t> cost) {
  AttemptRecord attempt = Attempt(n, "anthropic", "claude-x", Tokens(4, 0, 0, 0, 2, 0), cost);
  attempt.kind = kind;
  return attempt;
}

inline JudgementRecord Judged(const std::string& served, const std::string& outcome, int offset_ms,
                              std::optional<std::int64_t> cost) {
  JudgementRecord judgement;
  judgement.route = "trial";
  judgement.epoch = "e1";
  judgement.mode = "pairwise";
  judgement.variant_a = "a";
  judgement.variant_b = "b";
  judgement.served = served;
  judgement.outcome = outcome;
  judgement.a_first = outcome == "a_wins" ? "1" : "2";
  judgement.b_first = outcome == "a_wins" ? "2" : "1";
  judgement.reason = "because " + outcome;
  judgement.cost_nanos = cost;
  judgement.time = ExperimentTime(offset_ms);
  return judgement;
}

inline CallRecord Late(const std::string& id, std::vector<AttemptRecord> attempts,
                       std::optional<JudgementRecord> judgement) {
  CallRecord late;
  late.request_id = id;
  late.time = ExperimentTime(5'000);
  late.late = true;
  late.attempts = std::move(attempts);
  late.judgement = std::move(judgement);
  return late;
}

// Records the fixture's calls, then their late records, and flushes.
inline void RecordExperimentFixture(CallSink& sink) {
  sink.Record(ExperimentCall("req-a1", "a", 200, 100, 1'000, {10}));
  sink.Record(ExperimentCall("req-a2", "a", 500, 50, 2'000, {10, 20}));
  sink.Record(ExperimentCall("req-a3", "a", 499, 30, 3'000, {std::nullopt}));
  sink.Record(ExperimentCall("req-a4", "a", 200, 300, 4'000, {10}));
  sink.Record(ExperimentCall("req-b1", "b", 200, 200, 1'000, {40}));
  sink.Record(ExperimentCall("req-b2", "b", 429, 5, 2'000, {0}));
  CallRecord old = ExperimentCall("req-old", "a", 200, 70, -86'400'000, {10});
  old.epoch = "e0";
  sink.Record(old);
  CallRecord other = ExperimentCall("req-oth", "a", 200, 70, 1'000, {10});
  other.route = "other";
  sink.Record(other);
  CallRecord plain = ExperimentCall("req-pre", "", 200, 70, 1'000, {10});
  plain.epoch = "";
  sink.Record(plain);

  sink.RecordLate(Late(
      "req-a1", {LateAttempt(2, AttemptKind::kShadow, 5), LateAttempt(3, AttemptKind::kJudge, 3)},
      Judged("a", "a_wins", 1'500, 8)));
  sink.RecordLate(Late("req-a4", {LateAttempt(2, AttemptKind::kShadow, std::nullopt)}, {}));
  sink.RecordLate(Late("req-b1", {LateAttempt(2, AttemptKind::kJudge, 2)},
                       Judged("b", "b_wins", 1'200, std::nullopt)));
  JudgementRecord scored = Judged("a", "scored", -86'400'000, 100);
  scored.epoch = "e0";
  scored.mode = "score";
  scored.variant_a = "";
  scored.variant_b = "a";
  scored.score = 7;
  scored.a_first = "7";
  scored.b_first = "";
  sink.RecordLate(Late("req-old", {LateAttempt(2, AttemptKind::kJudge, 100)}, scored));
  sink.Flush();
}

// CallsByVariant, Judgements and JudgingSpendSince over the recorded fixture.
inline void ExpectExperimentResults(ExperimentStore& store) {
  Result<std::vector<VariantCalls>> variants = store.CallsByVariant("trial", "e1", 10);
  ASSERT_TRUE(variants.ok()) << variants.error().message;
  ASSERT_EQ(variants->size(), 2u);
  const VariantCalls& a = (*variants)[0];
  EXPECT_EQ(a.variant, "a");
  EXPECT_EQ(a.calls, 4);
  EXPECT_EQ(a.errors, 1);          // the 500; the 499 (the client left) is none
  EXPECT_EQ(a.cost_nanos, 50);     // 10 + 10 + 20 + 10: the shadow and judge calls left out
  EXPECT_EQ(a.unpriced_calls, 1);  // req-a3; req-a4's unpriced shadow does not count
  EXPECT_EQ(a.latencies_ms, (std::vector<double>{300, 100}));  // the 2xx ones, newest first
  const VariantCalls& b = (*variants)[1];
  EXPECT_EQ(b.variant, "b");
  EXPECT_EQ(b.calls, 2);
  EXPECT_EQ(b.errors, 1);
  EXPECT_EQ(b.cost_nanos, 40);
  EXPECT_EQ(b.unpriced_calls, 0);
  EXPECT_EQ(b.latencies_ms, (std::vector<double>{200}));

  Result<std::vector<VariantCalls>> bounded = store.CallsByVariant("trial", "e1", 1);
  ASSERT_TRUE(bounded.ok()) << bounded.error().message;
  ASSERT_EQ(bounded->size(), 2u);
  EXPECT_EQ((*bounded)[0].latencies_ms, (std::vector<double>{300}));
  EXPECT_EQ((*bounded)[0].calls, 4);
  Result<std::vector<VariantCalls>> none = store.CallsByVariant("trial", "e9", 10);
  ASSERT_TRUE(none.ok()) << none.error().message;
  EXPECT_TRUE(none->empty());

  Result<std::vector<StoredJudgement>> judgements = store.Judgements("trial", "e1", 10);
  ASSERT_TRUE(judgements.ok()) << judgements.error().message;
  ASSERT_EQ(judgements->size(), 2u);
  const StoredJudgement& first = (*judgements)[0];  // oldest first
  EXPECT_EQ(first.request_id, "req-b1");
  EXPECT_EQ(first.time_ms, ToEpochMillis(ExperimentTime(1'200)));
  EXPECT_EQ(first.mode, "pairwise");
  EXPECT_EQ(first.variant_a, "a");
  EXPECT_EQ(first.variant_b, "b");
  EXPECT_EQ(first.served, "b");
  EXPECT_EQ(first.outcome, "b_wins");
  EXPECT_EQ(first.score, std::nullopt);
  EXPECT_EQ(first.a_first, "2");
  EXPECT_EQ(first.b_first, "1");
  EXPECT_EQ(first.reason, "because b_wins");
  EXPECT_EQ(first.cost_nanos, std::nullopt);
  EXPECT_EQ((*judgements)[1].request_id, "req-a1");
  EXPECT_EQ((*judgements)[1].cost_nanos, 8);
  Result<std::vector<StoredJudgement>> oldest = store.Judgements("trial", "e1", 1);
  ASSERT_TRUE(oldest.ok()) << oldest.error().message;
  ASSERT_EQ(oldest->size(), 1u);
  EXPECT_EQ((*oldest)[0].request_id, "req-b1");
  Result<std::vector<StoredJudgement>> scored = store.Judgements("trial", "e0", 10);
  ASSERT_TRUE(scored.ok()) << scored.error().message;
  ASSERT_EQ(scored->size(), 1u);
  EXPECT_EQ((*scored)[0].score, 7);
  EXPECT_EQ((*scored)[0].variant_a, "");

  // Every epoch's judging counts; an unknown cost adds nothing.
  EXPECT_EQ(store.JudgingSpendSince("trial", 0).value(), 108);
  EXPECT_EQ(store.JudgingSpendSince("trial", ToEpochMillis(At(kExperimentT))).value(), 8);
  EXPECT_EQ(store.JudgingSpendSince("other", 0).value(), 0);
}

inline StoredExperiment Epoch(std::string route, std::string epoch, std::int64_t started_ms) {
  return {std::move(route),
          std::move(epoch),
          R"([{"name":"a","target":"openai/gpt-4o","share":50}])",
          "running",
          R"({"a": 50, "b": 50})",
          "",
          started_ms,
          started_ms};
}

// Ensure, Find, Experiments and Update.
inline void ExpectExperimentState(ExperimentStore& store) {
  Result<StoredExperiment> made = store.Ensure(Epoch("trial", "e1", 1'000));
  ASSERT_TRUE(made.ok()) << made.error().message;
  EXPECT_EQ(made->status, "running");
  EXPECT_EQ(made->shares_json, R"({"a": 50, "b": 50})");  // as written, byte for byte
  EXPECT_EQ(made->promotion_json, "");

  StoredExperiment changed = *made;
  changed.status = "paused";
  changed.shares_json = R"({"a":100,"b":0})";
  changed.promotion_json = R"({"to":"a","verdict":"a is better","n":120,"judged":40})";
  changed.updated_ms = 2'000;
  ASSERT_TRUE(store.Update(changed).ok());
  // Starting again with the config's state leaves the stored one as it is.
  Result<StoredExperiment> again = store.Ensure(Epoch("trial", "e1", 5'000));
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again->status, "paused");
  EXPECT_EQ(again->shares_json, changed.shares_json);
  EXPECT_EQ(again->promotion_json, changed.promotion_json);
  EXPECT_EQ(again->started_ms, 1'000);
  EXPECT_EQ(again->updated_ms, 2'000);

  ASSERT_TRUE(store.Ensure(Epoch("trial", "e2", 3'000)).ok());
  ASSERT_TRUE(store.Ensure(Epoch("other", "e1", 2'000)).ok());
  Result<std::optional<StoredExperiment>> found = store.Find("trial", "e2");
  ASSERT_TRUE(found.ok()) << found.error().message;
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->variants_json, R"([{"name":"a","target":"openai/gpt-4o","share":50}])");
  Result<std::optional<StoredExperiment>> missing = store.Find("trial", "e9");
  ASSERT_TRUE(missing.ok()) << missing.error().message;
  EXPECT_FALSE(missing->has_value());

  Result<std::vector<StoredExperiment>> trial = store.Experiments("trial");
  ASSERT_TRUE(trial.ok()) << trial.error().message;
  ASSERT_EQ(trial->size(), 2u);
  EXPECT_EQ((*trial)[0].epoch, "e2");  // newest first
  EXPECT_EQ((*trial)[1].epoch, "e1");
  Result<std::vector<StoredExperiment>> all = store.Experiments("");
  ASSERT_TRUE(all.ok()) << all.error().message;
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[1].route, "other");

  StoredExperiment unknown = Epoch("trial", "e9", 1);
  Status refused = store.Update(unknown);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, ErrorKind::kNotFound);
  changed.promotion_json = "";  // a promotion may be cleared
  ASSERT_TRUE(store.Update(changed).ok());
  EXPECT_EQ(store.Find("trial", "e1").value()->promotion_json, "");
}

}  // namespace switchyard::ledger::testing_util
