#include "ledger/sinks/access_log_sink.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace switchyard::ledger {
namespace {

namespace bjson = boost::json;

bjson::object ParseLine(std::string_view line) {
  boost::system::error_code ec;
  bjson::value value = bjson::parse(line, ec);
  EXPECT_FALSE(ec) << "not JSON: " << line;
  EXPECT_TRUE(value.is_object()) << line;
  return value.is_object() ? value.get_object() : bjson::object{};
}

canonical::Usage MakeUsage(std::int64_t input, std::int64_t cached, std::int64_t output,
                           std::int64_t reasoning) {
  canonical::Usage usage;
  usage.input_tokens = input;
  usage.cached_input_tokens = cached;
  usage.output_tokens = output;
  usage.reasoning_tokens = reasoning;
  usage.reported = true;
  return usage;
}

CallRecord TwoAttemptRecord() {
  CallRecord record;
  record.request_id = "req-0001";
  record.time = std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'000));
  record.key_name = "team-a";
  record.method = "POST";
  record.path = "/v1/chat/completions";
  record.inbound = "openai";
  record.requested_model = "resilient";
  record.route = "resilient";
  record.provider = "groq";
  record.model = "llama-3.3-70b-versatile";
  record.status = 200;
  record.stream = true;
  record.latency_ms = 850;
  record.ttft_ms = 120;
  record.metadata_json = R"({"user":"u1","feature":"search"})";

  AttemptRecord first;
  first.n = 1;
  first.kind = AttemptKind::kPrimary;
  first.provider = "openai";
  first.model = "gpt-4o-mini";
  first.outcome = AttemptOutcome::kUpstreamError;
  first.http_status = 503;
  first.reason = "the provider answered 503";
  first.usage = MakeUsage(10, 0, 1, 0);
  first.latency_ms = 300;
  record.attempts.push_back(first);

  AttemptRecord second;
  second.n = 2;
  second.kind = AttemptKind::kFallback;
  second.provider = "groq";
  second.model = "llama-3.3-70b-versatile";
  second.outcome = AttemptOutcome::kSuccess;
  second.http_status = 200;
  second.usage = MakeUsage(90, 20, 40, 5);
  second.latency_ms = 540;
  second.ttft_ms = 120;
  record.attempts.push_back(second);
  return record;
}

TEST(AccessLogFormatLineTest, OneLineOfJsonWithTheDocumentedFields) {
  const std::string line = AccessLogSink::FormatLine(TwoAttemptRecord());
  EXPECT_EQ(line.find('\n'), std::string::npos);
  const bjson::object out = ParseLine(line);
  EXPECT_EQ(out.at("request_id"), "req-0001");
  EXPECT_EQ(out.at("key"), "team-a");
  EXPECT_EQ(out.at("method"), "POST");
  EXPECT_EQ(out.at("path"), "/v1/chat/completions");
  EXPECT_EQ(out.at("inbound"), "openai");
  EXPECT_EQ(out.at("requested_model"), "resilient");
  EXPECT_EQ(out.at("route"), "resilient");
  EXPECT_EQ(out.at("provider"), "groq");
  EXPECT_EQ(out.at("model"), "llama-3.3-70b-versatile");
  EXPECT_EQ(out.at("status"), 200);
  EXPECT_EQ(out.at("stream"), true);
  EXPECT_EQ(out.at("latency_ms"), 850);
  EXPECT_EQ(out.at("ttft_ms"), 120);
  EXPECT_EQ(out.at("attempts"), 2);
  EXPECT_FALSE(out.contains("error"));
  EXPECT_EQ(out.at("time"), "2023-11-14T22:13:20.000Z");
}

// Sets TZ for the scope of a test and restores it.
class ScopedTimeZone {
 public:
  explicit ScopedTimeZone(const char* tz) {
    if (const char* old = std::getenv("TZ")) old_ = old;
    ::setenv("TZ", tz, 1);
    ::tzset();
  }
  ~ScopedTimeZone() {
    if (old_) {
      ::setenv("TZ", old_->c_str(), 1);
    } else {
      ::unsetenv("TZ");
    }
    ::tzset();
  }

 private:
  std::optional<std::string> old_;
};

TEST(AccessLogFormatLineTest, TimeIsUtcWhateverTheLocalTimeZone) {
  ScopedTimeZone new_york("America/New_York");
  const bjson::object out = ParseLine(AccessLogSink::FormatLine(TwoAttemptRecord()));
  EXPECT_EQ(out.at("time"), "2023-11-14T22:13:20.000Z");
}

TEST(AccessLogFormatLineTest, TimeKeepsMilliseconds) {
  CallRecord record = TwoAttemptRecord();
  record.time += std::chrono::milliseconds(7);
  EXPECT_EQ(ParseLine(AccessLogSink::FormatLine(record)).at("time"), "2023-11-14T22:13:20.007Z");
  record.time += std::chrono::milliseconds(993);
  EXPECT_EQ(ParseLine(AccessLogSink::FormatLine(record)).at("time"), "2023-11-14T22:13:21.000Z");
}

TEST(AccessLogFormatLineTest, UsageIsSummedAcrossAttempts) {
  const bjson::object out = ParseLine(AccessLogSink::FormatLine(TwoAttemptRecord()));
  EXPECT_EQ(out.at("input_tokens"), 100);
  EXPECT_EQ(out.at("cached_input_tokens"), 20);
  EXPECT_EQ(out.at("cache_write_tokens"), 0);
  EXPECT_EQ(out.at("cache_write_1h_tokens"), 0);
  EXPECT_EQ(out.at("output_tokens"), 41);
  EXPECT_EQ(out.at("reasoning_tokens"), 5);
}

TEST(AccessLogFormatLineTest, AttemptLogInOrderWithOutcomeStrings) {
  const bjson::object out = ParseLine(AccessLogSink::FormatLine(TwoAttemptRecord()));
  ASSERT_TRUE(out.at("attempt_log").is_array());
  const bjson::array& log = out.at("attempt_log").get_array();
  ASSERT_EQ(log.size(), 2u);
  const bjson::object& first = log[0].get_object();
  EXPECT_EQ(first.at("n"), 1);
  EXPECT_EQ(first.at("kind"), "primary");
  EXPECT_EQ(first.at("provider"), "openai");
  EXPECT_EQ(first.at("model"), "gpt-4o-mini");
  EXPECT_EQ(first.at("outcome"), "upstream_error");
  EXPECT_EQ(first.at("status"), 503);
  EXPECT_EQ(first.at("reason"), "the provider answered 503");
  EXPECT_EQ(first.at("input_tokens"), 10);
  EXPECT_EQ(first.at("usage_reported"), true);
  EXPECT_EQ(first.at("estimated"), false);
  EXPECT_EQ(first.at("latency_ms"), 300);
  EXPECT_FALSE(first.contains("ttft_ms"));

  const bjson::object& second = log[1].get_object();
  EXPECT_EQ(second.at("n"), 2);
  EXPECT_EQ(second.at("kind"), "fallback");
  EXPECT_EQ(second.at("outcome"), "success");
  EXPECT_FALSE(second.contains("reason"));
  EXPECT_EQ(second.at("output_tokens"), 40);
  EXPECT_EQ(second.at("ttft_ms"), 120);
}

TEST(AccessLogFormatLineTest, EveryOutcomeHasItsString) {
  CallRecord record;
  const std::vector<std::pair<AttemptOutcome, std::string>> outcomes = {
      {AttemptOutcome::kSuccess, "success"},
      {AttemptOutcome::kUpstreamError, "upstream_error"},
      {AttemptOutcome::kTimeout, "timeout"},
      {AttemptOutcome::kConnectError, "connect_error"},
      {AttemptOutcome::kStreamError, "stream_error"},
      {AttemptOutcome::kCancelled, "cancelled"}};
  for (const auto& [outcome, name] : outcomes) {
    AttemptRecord attempt;
    attempt.outcome = outcome;
    attempt.kind = AttemptKind::kRetry;
    record.attempts.push_back(attempt);
  }
  const bjson::object out = ParseLine(AccessLogSink::FormatLine(record));
  const bjson::array& log = out.at("attempt_log").get_array();
  ASSERT_EQ(log.size(), outcomes.size());
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    EXPECT_EQ(log[i].at("outcome"), outcomes[i].second.c_str());
    EXPECT_EQ(log[i].at("kind"), "retry");
  }
}

TEST(AccessLogFormatLineTest, MetadataIsEmbeddedAsAnObject) {
  const bjson::object out = ParseLine(AccessLogSink::FormatLine(TwoAttemptRecord()));
  ASSERT_TRUE(out.at("metadata").is_object()) << out.at("metadata");
  EXPECT_EQ(out.at("metadata"), bjson::parse(R"({"user":"u1","feature":"search"})"));
}

TEST(AccessLogFormatLineTest, InvalidOrEmptyMetadataIsLeftOut) {
  CallRecord record = TwoAttemptRecord();
  record.metadata_json = R"({"user": )";
  EXPECT_FALSE(ParseLine(AccessLogSink::FormatLine(record)).contains("metadata"));
  record.metadata_json.clear();
  EXPECT_FALSE(ParseLine(AccessLogSink::FormatLine(record)).contains("metadata"));
}

TEST(AccessLogFormatLineTest, FailedCallWithoutAttemptsAndAwkwardText) {
  CallRecord record;
  record.request_id = "req-\"2\"";
  record.status = 401;
  record.error = "invalid gateway key\nline two \"quoted\" \\ \x01";
  const std::string line = AccessLogSink::FormatLine(record);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  const bjson::object out = ParseLine(line);
  EXPECT_EQ(out.at("request_id"), "req-\"2\"");
  EXPECT_EQ(out.at("error"), record.error.c_str());
  EXPECT_EQ(out.at("attempts"), 0);
  EXPECT_TRUE(out.at("attempt_log").get_array().empty());
  EXPECT_EQ(out.at("input_tokens"), 0);
  EXPECT_FALSE(out.contains("route"));
  EXPECT_FALSE(out.contains("ttft_ms"));
}

CallRecord LateRecord() {
  CallRecord late;
  late.request_id = "req-0001";
  late.time = std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'002));
  late.late = true;
  late.key_name = "team-a";  // never read for a late line
  AttemptRecord shadow;
  shadow.n = 3;
  shadow.kind = AttemptKind::kShadow;
  shadow.provider = "openai";
  shadow.model = "gpt-4o";
  shadow.http_status = 200;
  shadow.usage = MakeUsage(10, 0, 4, 0);
  shadow.cost_nanos = 40;
  shadow.latency_ms = 700;
  late.attempts.push_back(shadow);
  AttemptRecord judge = shadow;
  judge.n = 4;
  judge.kind = AttemptKind::kJudge;
  judge.model = "claude-x";
  judge.cost_nanos = std::nullopt;
  late.attempts.push_back(judge);
  JudgementRecord judgement;
  judgement.route = "trial";
  judgement.epoch = "e1";
  judgement.mode = "pairwise";
  judgement.variant_a = "a";
  judgement.variant_b = "b";
  judgement.served = "a";
  judgement.outcome = "tie";
  judgement.a_first = "tie";
  judgement.b_first = "tie";
  judgement.reason = std::string(600, 'r');
  judgement.time = late.time;
  late.judgement = judgement;
  return late;
}

TEST(AccessLogFormatLateLineTest, TheLateAttemptsAndTheJudgementOfACall) {
  const std::string line = AccessLogSink::FormatLateLine(LateRecord());
  EXPECT_EQ(line.find('\n'), std::string::npos);
  const bjson::object out = ParseLine(line);
  EXPECT_EQ(out.at("late"), true);
  EXPECT_EQ(out.at("request_id"), "req-0001");
  EXPECT_EQ(out.at("time"), "2023-11-14T22:13:22.000Z");
  EXPECT_FALSE(out.contains("key"));
  const bjson::array& attempts = out.at("attempts").as_array();
  ASSERT_EQ(attempts.size(), 2u);
  // The same fields as a call line's attempt_log.
  const bjson::object expected_shadow = ParseLine(AccessLogSink::FormatLine(LateRecord()))
                                            .at("attempt_log").as_array()[0].as_object();
  EXPECT_EQ(attempts[0].as_object(), expected_shadow);
  EXPECT_EQ(attempts[0].at("kind"), "shadow");
  EXPECT_EQ(attempts[0].at("cost_nanos"), 40);
  EXPECT_EQ(attempts[1].at("kind"), "judge");
  EXPECT_EQ(attempts[1].at("n"), 4);
  EXPECT_TRUE(attempts[1].at("cost_nanos").is_null());
  const bjson::object& judgement = out.at("judgement").as_object();
  EXPECT_EQ(judgement.at("route"), "trial");
  EXPECT_EQ(judgement.at("epoch"), "e1");
  EXPECT_EQ(judgement.at("mode"), "pairwise");
  EXPECT_EQ(judgement.at("variant_a"), "a");
  EXPECT_EQ(judgement.at("variant_b"), "b");
  EXPECT_EQ(judgement.at("served"), "a");
  EXPECT_EQ(judgement.at("outcome"), "tie");
  EXPECT_TRUE(judgement.at("score").is_null());
  EXPECT_EQ(judgement.at("a_first"), "tie");
  EXPECT_EQ(judgement.at("reason").as_string().size(), 500u);  // as the ledger keeps it
  EXPECT_TRUE(judgement.at("cost_nanos").is_null());
}

TEST(AccessLogFormatLateLineTest, NoJudgementNoField) {
  CallRecord late = LateRecord();
  late.judgement.reset();
  const bjson::object out = ParseLine(AccessLogSink::FormatLateLine(late));
  EXPECT_FALSE(out.contains("judgement"));
  EXPECT_EQ(out.at("attempts").as_array().size(), 2u);
}

class AccessLogSinkFileTest : public ::testing::Test {
 protected:
  AccessLogSinkFileTest() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = std::filesystem::path(::testing::TempDir()) /
            (std::string("switchyard_access_log_") + info->name() + "_" +
             std::to_string(::getpid()) + ".log");
    std::filesystem::remove(path_);
  }
  ~AccessLogSinkFileTest() override { std::filesystem::remove(path_); }

  std::vector<std::string> ReadLines() const {
    std::ifstream in(path_);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
  }

  std::filesystem::path path_;
};

TEST_F(AccessLogSinkFileTest, RecordsFromFourThreadsAllArriveAsWholeLines) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 250;
  std::string error;
  std::unique_ptr<AccessLogSink> sink = AccessLogSink::Open(path_.string(), &error);
  ASSERT_NE(sink, nullptr) << error;

  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&sink, t] {
      CallRecord record = TwoAttemptRecord();
      for (int i = 0; i < kPerThread; ++i) {
        record.request_id = "req-" + std::to_string(t) + "-" + std::to_string(i);
        sink->Record(record);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  sink->Flush();

  const std::vector<std::string> lines = ReadLines();
  ASSERT_EQ(lines.size(), static_cast<std::size_t>(kThreads * kPerThread));
  std::set<std::string> ids;
  std::vector<int> next_per_thread(kThreads, 0);
  for (const std::string& line : lines) {
    const bjson::object out = ParseLine(line);
    ASSERT_TRUE(out.contains("request_id")) << line;
    const std::string id(out.at("request_id").get_string());
    ids.insert(id);
    // Each thread's records keep their order.
    int t = 0, i = 0;
    ASSERT_EQ(std::sscanf(id.c_str(), "req-%d-%d", &t, &i), 2) << id;
    ASSERT_GE(t, 0);
    ASSERT_LT(t, kThreads);
    EXPECT_EQ(i, next_per_thread[t]) << id;
    next_per_thread[t] = i + 1;
  }
  EXPECT_EQ(ids.size(), lines.size());
}

TEST_F(AccessLogSinkFileTest, ALateRecordIsALineOfItsOwnAfterItsCall) {
  std::string error;
  std::unique_ptr<AccessLogSink> sink = AccessLogSink::Open(path_.string(), &error);
  ASSERT_NE(sink, nullptr) << error;
  sink->Record(TwoAttemptRecord());
  sink->RecordLate(LateRecord());
  sink->Flush();
  const std::vector<std::string> lines = ReadLines();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_FALSE(ParseLine(lines[0]).contains("late"));
  EXPECT_EQ(lines[1], AccessLogSink::FormatLateLine(LateRecord()));
}

TEST_F(AccessLogSinkFileTest, FlushWithNothingQueuedReturns) {
  std::string error;
  std::unique_ptr<AccessLogSink> sink = AccessLogSink::Open(path_.string(), &error);
  ASSERT_NE(sink, nullptr) << error;
  sink->Flush();
  EXPECT_TRUE(ReadLines().empty());
}

TEST_F(AccessLogSinkFileTest, AppendsToAnExistingFileAndWritesQueuedLinesOnDestruction) {
  {
    std::ofstream out(path_);
    out << "{\"earlier\":true}\n";
  }
  std::string error;
  std::unique_ptr<AccessLogSink> sink = AccessLogSink::Open(path_.string(), &error);
  ASSERT_NE(sink, nullptr) << error;
  sink->Record(TwoAttemptRecord());
  sink->Record(TwoAttemptRecord());
  sink.reset();  // no Flush: the destructor still writes what was queued
  const std::vector<std::string> lines = ReadLines();
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], "{\"earlier\":true}");
  EXPECT_EQ(ParseLine(lines[1]).at("request_id"), "req-0001");
  EXPECT_EQ(ParseLine(lines[2]).at("request_id"), "req-0001");
}

TEST(AccessLogSinkOpenTest, UnwritablePathFailsWithAMessage) {
  std::string error;
  std::unique_ptr<AccessLogSink> sink =
      AccessLogSink::Open("/nonexistent-switchyard-dir/sub/access.log", &error);
  EXPECT_EQ(sink, nullptr);
  EXPECT_NE(error.find("/nonexistent-switchyard-dir/sub/access.log"), std::string::npos) << error;
}

}  // namespace
}  // namespace switchyard::ledger
