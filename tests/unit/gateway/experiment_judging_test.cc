// An ab experiment's judging of one call after its answer (gateway/experiment_judging.h), against
// one fake OpenAI-format upstream that answers by the request's model: the shadow at the other
// variant, the judge in both orders (a malformed verdict asked once more), score mode, a failed
// shadow; what is recorded (the late attempts, numbered and priced, and the judgement) and the
// experiment's judging slot and spend released afterwards. The fake runs on the test's io_context,
// so everything happens in one deterministic order, and the tests assert on that order, never on
// time; the registry's clock is fixed too, so a UTC midnight cannot move the day's spend.
#include "gateway/experiment_judging.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/config_loader.h"
#include "fakes/fake_http_server.h"
#include "fakes/io_test_util.h"
#include "gateway/client_request.h"
#include "gateway/gateway_state.h"
#include "http/server/incoming_request.h"
#include "ledger/call_sink.h"
#include "routing/strategy_support.h"

namespace switchyard::gateway {
namespace {

namespace json = boost::json;
using ::switchyard::testing::FakeConnection;
using ::switchyard::testing::FakeHttpServer;
using Strings = std::vector<std::string>;

constexpr std::string_view kApiKey = "sk-test-secret-key-123456";
constexpr std::string_view kQuestion = "What is the capital of France?";
constexpr std::string_view kAText = "A says: Paris, on the Seine.";
constexpr std::string_view kBText = "B says: it is Paris.";

// A fixed call time: it prices the attempts and is the registry's "now", so the day's spend is
// the same day whenever the test runs.
const std::chrono::system_clock::time_point kCallTime =
    std::chrono::sys_days(std::chrono::year(2026) / 12 / 8) + std::chrono::hours(10);

// Usage the fake reports, and the prices the config gives, in USD per million tokens (1 USD per
// million = 1000 nanos per token): each exchange's cost is known exactly.
constexpr int kShadowInput = 20, kShadowOutput = 30;
constexpr int kJudgeInput = 100, kJudgeOutput = 10;
constexpr std::int64_t kModelACost = kShadowInput * 1000 + kShadowOutput * 2000;  // 80,000
constexpr std::int64_t kModelBCost = kShadowInput * 3000 + kShadowOutput * 4000;  // 180,000
constexpr std::int64_t kJudgeCost = kJudgeInput * 5000 + kJudgeOutput * 10000;    // 600,000

// A judge "verdict" the fake answers with a 500 instead.
constexpr std::string_view kJudgeFails = "<500>";

std::string Verdict(std::string_view winner, std::string_view reason) {
  return json::serialize(json::object{{"winner", winner}, {"reason", reason}});
}

// Keeps what the gateway hands its sinks; the late records are what judging writes.
class FakeSink : public ledger::CallSink {
 public:
  void Record(const ledger::CallRecord& record) override { recorded.push_back(record); }
  void RecordLate(const ledger::CallRecord& record) override { late.push_back(record); }
  void Flush() override {}

  std::vector<ledger::CallRecord> recorded;
  std::vector<ledger::CallRecord> late;
};

class ExperimentJudgingTest : public ::testing::Test {
 protected:
  ExperimentJudgingTest() {
    server_.AddScript([this](FakeConnection& connection) { return Serve(connection); });
  }

  ~ExperimentJudgingTest() override {
    server_.Stop();
    if (worker_) worker_->pool.Clear();
    ::switchyard::testing::Drain(io_);
  }

  // The gateway's state over the fake: an ab route `trial` (a: up/model-a, the control; b:
  // up/model-b) judged by up/judge on every call, in `mode`.
  void Load(std::string_view mode) {
    const std::string yaml = fmt::format(
        "providers:\n"
        "  up: {{ kind: openai, base_url: \"{}\", api_key: {} }}\n"
        "prices:\n"
        "  up/model-a: {{ input: 1, output: 2 }}\n"
        "  up/model-b: {{ input: 3, output: 4 }}\n"
        "  up/judge: {{ input: 5, output: 10 }}\n"
        "routes:\n"
        "  trial:\n"
        "    strategy: ab\n"
        "    variants: [ {{ name: a, target: up/model-a, share: 50 }},\n"
        "                {{ name: b, target: up/model-b, share: 50 }} ]\n"
        "    judge: {{ model: up/judge, sample: 1, mode: {} }}\n",
        server_.Url("/v1"), kApiKey, mode);
    config::LoadResult loaded =
        config::LoadConfigText(yaml, "test.yaml", [](std::string_view) { return std::nullopt; });
    ASSERT_TRUE(loaded.config) << (loaded.problems.empty() ? "" : loaded.problems[0].message);
    state_ = std::make_unique<GatewayState>(std::move(*loaded.config));
    ASSERT_TRUE(state_->Prepare().ok());
    state_->experiments =
        std::make_unique<ExperimentRegistry>(state_->config, nullptr, [] { return kCallTime; });
    state_->sinks.push_back(&sink_);
    worker_ = std::make_unique<Worker>(*state_, io_);
  }

  // A ticket as CallExperiment::AfterAnswer fills it, for a call that variant `served` answered
  // after one attempt of its own (so the late attempts start at 2).
  JudgingTicket Ticket(std::size_t served) {
    JudgingTicket ticket;
    auto plan = state_->resolver->Resolve("trial");
    EXPECT_TRUE(plan.ok());
    ticket.plan = *plan;
    EXPECT_TRUE(state_->experiments->BeginJudging("trial"));
    ticket.experiment = state_->experiments->Find("trial");
    ticket.served = served;
    ticket.request_id = "req-42";
    ticket.call_time = kCallTime;
    ticket.next_attempt = 2;
    ticket.request.model = "trial";
    canonical::Message user;
    user.role = canonical::Role::kUser;
    canonical::ContentPart part;
    part.text = std::string(kQuestion);
    user.content.push_back(part);
    ticket.request.messages.push_back(user);
    ticket.answer = Answer(served == 0 ? kAText : kBText);
    ticket.judge_target = state_->experiment_judges.at("trial");
    ticket.judge_key = std::string(ApiKeyFor(incoming_, *ticket.judge_target));
    if (ticket.experiment->experiment().judge->mode == "pairwise") {
      ticket.shadow_variant = ShadowVariant(ticket.plan->steps.size(), served,
                                            ticket.experiment->epoch, ticket.request_id);
      const std::vector<const routing::PlannedTarget*> leaves =
          routing::internal::StepLeaves(ticket.plan->steps[ticket.shadow_variant]);
      EXPECT_FALSE(leaves.empty());
      ticket.shadow_target = leaves.front();
      ticket.shadow_key = std::string(ApiKeyFor(incoming_, *ticket.shadow_target));
    }
    return ticket;
  }

  static canonical::ChatResponse Answer(std::string_view text) {
    canonical::ChatResponse answer;
    answer.id = "chatcmpl-served";
    answer.model = "served";
    answer.message.role = canonical::Role::kAssistant;
    canonical::ContentPart part;
    part.text = std::string(text);
    answer.message.content.push_back(part);
    answer.finish_reason = canonical::FinishReason::kStop;
    return answer;
  }

  // Runs the judging to its end and returns the one late record it wrote.
  ledger::CallRecord Judge(JudgingTicket ticket) {
    ::switchyard::testing::RunTask(io_,
                                   [&] { return JudgeInBackground(*worker_, std::move(ticket)); });
    EXPECT_EQ(sink_.late.size(), 1u);
    EXPECT_TRUE(sink_.recorded.empty());  // judging only ever adds to a call recorded before
    return sink_.late.empty() ? ledger::CallRecord{} : sink_.late.back();
  }

  // Whether judging gave its slot back: every one of the experiment's in-flight slots is free.
  bool AllJudgingSlotsFree() {
    int begun = 0;
    while (begun < ExperimentRegistry::kMaxJudgingInFlight &&
           state_->experiments->BeginJudging("trial")) {
      ++begun;
    }
    const bool full = !state_->experiments->BeginJudging("trial");
    for (int i = 0; i < begun; ++i) state_->experiments->FinishJudging("trial", std::nullopt);
    return begun == ExperimentRegistry::kMaxJudgingInFlight && full;
  }

  // --- the fake upstream ------------------------------------------------------------------------

  // Every request on every connection, answered by its model: the variants' models answer as the
  // shadow, `judge` answers the next scripted verdict.
  // GCC 12 false positive on coroutine frames (as in src/gateway/*.cc).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
  Task<> Serve(FakeConnection& connection) {
    for (;;) {
      std::optional<std::string> request = co_await connection.ReadRequest();
      if (!request) co_return;
      const bool written = co_await connection.Write(Respond(*request));
      if (!written) co_return;
    }
  }
#pragma GCC diagnostic pop

  std::string Respond(const std::string& raw) {
    const std::size_t head_end = raw.find("\r\n\r\n");
    heads_.push_back(raw.substr(0, head_end));
    const json::value body = json::parse(raw.substr(head_end + 4));
    const std::string model(body.at("model").as_string());
    models_.push_back(model);
    bodies_.push_back(body);
    if (model == "judge") {
      std::string verdict = "(no verdict scripted)";
      if (!verdicts_.empty()) {
        verdict = verdicts_.front();
        verdicts_.pop_front();
      }
      if (verdict == kJudgeFails) return Failure();
      return Completion(verdict, kJudgeInput, kJudgeOutput);
    }
    if (shadow_fails_) return Failure();
    return Completion(model == "model-a" ? kAText : kBText, kShadowInput, kShadowOutput);
  }

  // A 500 whose error quotes the key, as some providers' do: it must never reach a record.
  static std::string Failure() {
    const std::string error = json::serialize(
        json::object{{"error",
                      {{"message", "upstream broke while using key " + std::string(kApiKey)},
                       {"type", "server_error"}}}});
    return Http(500, error);
  }

  static std::string Completion(std::string_view text, int input, int output) {
    const json::object body{
        {"id", "chatcmpl-fake"},
        {"object", "chat.completion"},
        {"created", 1765188000},
        {"model", "fake"},
        {"choices",
         json::array{json::object{{"index", 0},
                                  {"message", {{"role", "assistant"}, {"content", text}}},
                                  {"finish_reason", "stop"}}}},
        {"usage",
         {{"prompt_tokens", input},
          {"completion_tokens", output},
          {"total_tokens", input + output}}},
    };
    return Http(200, json::serialize(body));
  }

  static std::string Http(int status, const std::string& body) {
    return "HTTP/1.1 " + std::to_string(status) + (status == 200 ? " OK" : " Error") +
           "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\n\r\n" + body;
  }

  // The text of the last user message of the n-th request (what the judge is asked).
  std::string UserText(std::size_t n) const {
    std::string text;
    for (const json::value& message : bodies_.at(n).at("messages").as_array()) {
      if (message.at("role").as_string() != "user") continue;
      text.clear();
      const json::value& content = message.at("content");
      if (content.is_string()) {
        text = content.as_string();
      } else {
        for (const json::value& part : content.as_array()) text += part.at("text").as_string();
      }
    }
    return text;
  }

  // What the judge reads when `first` is shown as Answer 1 and `second` as Answer 2.
  static std::string Order(std::string_view first, std::string_view second) {
    return "Answer 1:\n<answer>\n" + std::string(first) + "\n</answer>\n\nAnswer 2:\n<answer>\n" +
           std::string(second) + "\n</answer>";
  }

  static Strings Kinds(const ledger::CallRecord& record) {
    Strings kinds;
    for (const ledger::AttemptRecord& attempt : record.attempts) {
      kinds.push_back(std::to_string(attempt.n) + " " + std::string(ToString(attempt.kind)) + " " +
                      attempt.model);
    }
    return kinds;
  }

  net::io_context io_;
  FakeHttpServer server_{io_.get_executor()};
  FakeSink sink_;
  http::IncomingRequest incoming_;  // the client's request: no per-call provider key
  std::unique_ptr<GatewayState> state_;
  std::unique_ptr<Worker> worker_;

  // The fake's script and what it saw, in order.
  std::deque<std::string> verdicts_;
  bool shadow_fails_ = false;  // the variants' models answer 500
  Strings models_;
  Strings heads_;
  std::vector<json::value> bodies_;
};

TEST_F(ExperimentJudgingTest, PairwiseWithTheControlServedAsksTheChallengerThenBothOrders) {
  ASSERT_NO_FATAL_FAILURE(Load("pairwise"));
  verdicts_ = {Verdict("2", "B is shorter"), Verdict("1", "B again")};
  const ledger::CallRecord late = Judge(Ticket(0));

  // The shadow first (the one challenger), then the judge twice.
  EXPECT_EQ(models_, Strings({"model-b", "judge", "judge"}));
  // The shadow is the client's request, whole, with the key of its provider.
  EXPECT_EQ(UserText(0), kQuestion);
  EXPECT_FALSE(bodies_[0].as_object().contains("stream") && bodies_[0].at("stream").as_bool());
  EXPECT_NE(heads_[0].find("Authorization: Bearer " + std::string(kApiKey)), std::string::npos);
  // First order: the control's (served) answer as Answer 1; second order: the shadow's.
  EXPECT_NE(UserText(1).find(Order(kAText, kBText)), std::string::npos) << UserText(1);
  EXPECT_NE(UserText(2).find(Order(kBText, kAText)), std::string::npos) << UserText(2);
  EXPECT_NE(UserText(1).find("<request>\nuser: " + std::string(kQuestion)), std::string::npos);

  EXPECT_TRUE(late.late);
  EXPECT_EQ(late.request_id, "req-42");
  EXPECT_EQ(late.time, kCallTime);
  EXPECT_EQ(Kinds(late), Strings({"2 shadow model-b", "3 judge judge", "4 judge judge"}));
  ASSERT_EQ(late.attempts.size(), 3u);
  for (const ledger::AttemptRecord& attempt : late.attempts) {
    EXPECT_EQ(attempt.provider, "up");
    EXPECT_EQ(attempt.outcome, ledger::AttemptOutcome::kSuccess);
    EXPECT_EQ(attempt.http_status, 200);
  }
  EXPECT_EQ(late.attempts[0].cost_nanos, kModelBCost);
  EXPECT_EQ(late.attempts[0].usage.input_tokens, kShadowInput);
  EXPECT_EQ(late.attempts[1].cost_nanos, kJudgeCost);
  EXPECT_EQ(late.attempts[2].cost_nanos, kJudgeCost);

  ASSERT_TRUE(late.judgement);
  const ledger::JudgementRecord& judgement = *late.judgement;
  EXPECT_EQ(judgement.route, "trial");
  EXPECT_EQ(judgement.epoch, state_->experiments->Find("trial")->epoch);
  EXPECT_EQ(judgement.mode, "pairwise");
  EXPECT_EQ(judgement.variant_a, "a");
  EXPECT_EQ(judgement.variant_b, "b");
  EXPECT_EQ(judgement.served, "a");
  EXPECT_EQ(judgement.a_first, "2");
  EXPECT_EQ(judgement.b_first, "1");
  EXPECT_EQ(judgement.outcome, "b_wins");
  EXPECT_FALSE(judgement.score);
  EXPECT_EQ(judgement.reason, "B is shorter | B again");
  EXPECT_EQ(judgement.cost_nanos, kModelBCost + 2 * kJudgeCost);

  // The slot is given back and the cost counted against the day's cap.
  EXPECT_TRUE(AllJudgingSlotsFree());
  EXPECT_EQ(state_->experiments->spent_today_nanos("trial"), kModelBCost + 2 * kJudgeCost);
}

TEST_F(ExperimentJudgingTest, PairwiseWithTheChallengerServedAsksTheControlAndPositionBiasTies) {
  ASSERT_NO_FATAL_FAILURE(Load("pairwise"));
  // A judge that always prefers whatever it reads first: the orders disagree on the answers.
  verdicts_ = {Verdict("1", "first"), Verdict("1", "first")};
  const ledger::CallRecord late = Judge(Ticket(1));

  EXPECT_EQ(models_, Strings({"model-a", "judge", "judge"}));
  // A is still Answer 1 in the first order, though it is the shadow's answer now.
  EXPECT_NE(UserText(1).find(Order(kAText, kBText)), std::string::npos) << UserText(1);
  EXPECT_NE(UserText(2).find(Order(kBText, kAText)), std::string::npos) << UserText(2);
  EXPECT_EQ(Kinds(late), Strings({"2 shadow model-a", "3 judge judge", "4 judge judge"}));
  ASSERT_TRUE(late.judgement);
  EXPECT_EQ(late.judgement->variant_a, "a");
  EXPECT_EQ(late.judgement->variant_b, "b");
  EXPECT_EQ(late.judgement->served, "b");
  EXPECT_EQ(late.judgement->a_first, "1");
  EXPECT_EQ(late.judgement->b_first, "1");
  EXPECT_EQ(late.judgement->outcome, "tie");
  EXPECT_EQ(late.judgement->reason, "first");  // one reason, not repeated
  EXPECT_EQ(late.judgement->cost_nanos, kModelACost + 2 * kJudgeCost);
  EXPECT_TRUE(AllJudgingSlotsFree());
}

TEST_F(ExperimentJudgingTest, AMalformedVerdictIsAskedOnceMore) {
  ASSERT_NO_FATAL_FAILURE(Load("pairwise"));
  verdicts_ = {"I would say the second one.", Verdict("2", "B"), Verdict("1", "B")};
  const ledger::CallRecord late = Judge(Ticket(0));

  EXPECT_EQ(models_, Strings({"model-b", "judge", "judge", "judge"}));
  // The retry asks the same order again; only then comes the other order.
  EXPECT_EQ(UserText(1), UserText(2));
  EXPECT_NE(UserText(2).find(Order(kAText, kBText)), std::string::npos);
  EXPECT_NE(UserText(3).find(Order(kBText, kAText)), std::string::npos);
  EXPECT_EQ(Kinds(late),
            Strings({"2 shadow model-b", "3 judge judge", "4 judge judge", "5 judge judge"}));
  ASSERT_TRUE(late.judgement);
  EXPECT_EQ(late.judgement->a_first, "2");
  EXPECT_EQ(late.judgement->b_first, "1");
  EXPECT_EQ(late.judgement->outcome, "b_wins");
  // The malformed answer was paid for too.
  EXPECT_EQ(late.judgement->cost_nanos, kModelBCost + 3 * kJudgeCost);
}

TEST_F(ExperimentJudgingTest, AVerdictMalformedTwiceIsInvalidAndTheOtherOrderIsNotAsked) {
  ASSERT_NO_FATAL_FAILURE(Load("pairwise"));
  verdicts_ = {"{\"winner\": \"B\"}", "no JSON at all", Verdict("1", "never asked")};
  const ledger::CallRecord late = Judge(Ticket(0));

  // Never more than two tries per order; without the first order's verdict the outcome can only
  // be invalid, so the second order is neither asked nor paid for.
  EXPECT_EQ(models_, Strings({"model-b", "judge", "judge"}));
  EXPECT_EQ(UserText(1), UserText(2));
  ASSERT_TRUE(late.judgement);
  EXPECT_EQ(late.judgement->a_first, "invalid");
  EXPECT_EQ(late.judgement->b_first, "skipped");
  EXPECT_EQ(late.judgement->outcome, "invalid");
  EXPECT_EQ(late.judgement->cost_nanos, kModelBCost + 2 * kJudgeCost);
  EXPECT_TRUE(AllJudgingSlotsFree());
}

TEST_F(ExperimentJudgingTest, TheSecondOrderMalformedTwiceIsInvalid) {
  ASSERT_NO_FATAL_FAILURE(Load("pairwise"));
  verdicts_ = {Verdict("2", "B"), "?", "??"};
  const ledger::CallRecord late = Judge(Ticket(0));

  EXPECT_EQ(models_, Strings({"model-b", "judge", "judge", "judge"}));
  EXPECT_EQ(UserText(2), UserText(3));  // the second order, asked twice
  ASSERT_TRUE(late.judgement);
  EXPECT_EQ(late.judgement->a_first, "2");
  EXPECT_EQ(late.judgement->b_first, "invalid");
  EXPECT_EQ(late.judgement->outcome, "invalid");
}

TEST_F(ExperimentJudgingTest, AFailedShadowFailsTheJudgementWithoutAskingTheJudge) {
  ASSERT_NO_FATAL_FAILURE(Load("pairwise"));
  shadow_fails_ = true;
  verdicts_ = {Verdict("2", "never asked")};
  const ledger::CallRecord late = Judge(Ticket(0));

  EXPECT_EQ(models_, Strings({"model-b"}));
  EXPECT_EQ(Kinds(late), Strings({"2 shadow model-b"}));
  ASSERT_EQ(late.attempts.size(), 1u);
  const ledger::AttemptRecord& shadow = late.attempts[0];
  EXPECT_EQ(shadow.outcome, ledger::AttemptOutcome::kUpstreamError);
  EXPECT_EQ(shadow.http_status, 500);
  EXPECT_NE(shadow.reason.find("500"), std::string::npos) << shadow.reason;
  EXPECT_EQ(shadow.reason.find(kApiKey), std::string::npos) << shadow.reason;
  ASSERT_TRUE(late.judgement);
  EXPECT_EQ(late.judgement->outcome, "failed");
  EXPECT_EQ(late.judgement->variant_a, "a");
  EXPECT_EQ(late.judgement->variant_b, "b");
  EXPECT_EQ(late.judgement->reason.find(kApiKey), std::string::npos) << late.judgement->reason;
  EXPECT_NE(late.judgement->reason.find("500"), std::string::npos) << late.judgement->reason;
  EXPECT_TRUE(late.judgement->a_first.empty());
  EXPECT_TRUE(late.judgement->b_first.empty());
  EXPECT_TRUE(AllJudgingSlotsFree());
}

TEST_F(ExperimentJudgingTest, AFailedJudgeFailsTheJudgementWithoutTheSecondOrder) {
  ASSERT_NO_FATAL_FAILURE(Load("pairwise"));
  verdicts_ = {std::string(kJudgeFails), Verdict("1", "never asked")};
  const ledger::CallRecord late = Judge(Ticket(0));

  // A failed exchange is not a malformed verdict: not asked again, and no second order.
  EXPECT_EQ(models_, Strings({"model-b", "judge"}));
  EXPECT_EQ(Kinds(late), Strings({"2 shadow model-b", "3 judge judge"}));
  ASSERT_EQ(late.attempts.size(), 2u);
  EXPECT_EQ(late.attempts[1].http_status, 500);
  EXPECT_EQ(late.attempts[1].outcome, ledger::AttemptOutcome::kUpstreamError);
  EXPECT_EQ(late.attempts[1].reason.find(kApiKey), std::string::npos) << late.attempts[1].reason;
  ASSERT_TRUE(late.judgement);
  EXPECT_EQ(late.judgement->a_first, "failed");
  EXPECT_EQ(late.judgement->b_first, "skipped");
  EXPECT_EQ(late.judgement->outcome, "failed");
  EXPECT_TRUE(AllJudgingSlotsFree());
}

// What a failed side exchange costs. The provider answered 500 and billed nothing, at a model
// whose price is known: like the router's own attempts (AttemptRun::Finish prices their zero
// usage), it costs a known 0 — were it unknown, the judgement's cost would be unknown and the
// shadow's real spend would escape the day's `max_usd` cap.
TEST_F(ExperimentJudgingTest, AFailedJudgeStillCountsTheShadowsSpend) {
  ASSERT_NO_FATAL_FAILURE(Load("pairwise"));
  verdicts_ = {std::string(kJudgeFails)};
  const ledger::CallRecord late = Judge(Ticket(0));

  ASSERT_EQ(late.attempts.size(), 2u);
  EXPECT_EQ(late.attempts[1].cost_nanos, 0);
  ASSERT_TRUE(late.judgement);
  EXPECT_EQ(late.judgement->cost_nanos, kModelBCost);
  EXPECT_EQ(state_->experiments->spent_today_nanos("trial"), kModelBCost);
}

// Score mode: the served answer alone, one judge call.
TEST_F(ExperimentJudgingTest, ScoreModeScoresTheServedAnswerInOneCall) {
  ASSERT_NO_FATAL_FAILURE(Load("score"));
  verdicts_ = {"```json\n{\"score\": 7, \"reason\": \"correct but terse\"}\n```"};
  const ledger::CallRecord late = Judge(Ticket(1));

  EXPECT_EQ(models_, Strings({"judge"}));  // no shadow in score mode
  EXPECT_NE(UserText(0).find("Answer:\n<answer>\n" + std::string(kBText) + "\n</answer>"),
            std::string::npos)
      << UserText(0);
  EXPECT_EQ(Kinds(late), Strings({"2 judge judge"}));
  ASSERT_TRUE(late.judgement);
  EXPECT_EQ(late.judgement->mode, "score");
  EXPECT_TRUE(late.judgement->variant_a.empty());
  EXPECT_EQ(late.judgement->variant_b, "b");
  EXPECT_EQ(late.judgement->served, "b");
  EXPECT_EQ(late.judgement->outcome, "scored");
  EXPECT_EQ(late.judgement->score, 7);
  EXPECT_EQ(late.judgement->a_first, "7");
  EXPECT_EQ(late.judgement->reason, "correct but terse");
  EXPECT_EQ(late.judgement->cost_nanos, kJudgeCost);
  EXPECT_TRUE(AllJudgingSlotsFree());
  EXPECT_EQ(state_->experiments->spent_today_nanos("trial"), kJudgeCost);
}

TEST_F(ExperimentJudgingTest, ScoreModeMalformedTwiceIsInvalid) {
  ASSERT_NO_FATAL_FAILURE(Load("score"));
  verdicts_ = {"{\"score\": 11}", "seven", Verdict("1", "never asked")};
  const ledger::CallRecord late = Judge(Ticket(0));

  EXPECT_EQ(models_, Strings({"judge", "judge"}));  // asked once more, then no further
  EXPECT_EQ(UserText(0), UserText(1));
  EXPECT_EQ(Kinds(late), Strings({"2 judge judge", "3 judge judge"}));
  ASSERT_TRUE(late.judgement);
  EXPECT_EQ(late.judgement->served, "a");
  EXPECT_EQ(late.judgement->outcome, "invalid");
  EXPECT_FALSE(late.judgement->score);
  EXPECT_EQ(late.judgement->a_first, "invalid");
  EXPECT_EQ(late.judgement->cost_nanos, 2 * kJudgeCost);
}

}  // namespace
}  // namespace switchyard::gateway
