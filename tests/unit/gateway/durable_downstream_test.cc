// What a call does before its last byte. Its admission is settled there, so a client's next call is
// admitted against what this one spent. With strict durability the last byte waits for the
// ledger's commit, on the worker's thread without blocking it, and a commit the ledger refuses
// withholds the answer. The ledger, the settlement and the client are fakes that log what happens
// to them; assertions are on that order.
#include "gateway/durable_downstream.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <memory>
#include <string>
#include <vector>

#include "canonical/chat.h"
#include "gateway/call.h"
#include "gateway/gateway_state.h"
#include "inbound/inbound_codec.h"

namespace switchyard::gateway {
namespace {

using Events = std::vector<std::string>;

// The client: logs each write.
class FakeClient : public http::Downstream {
 public:
  FakeClient(Events& events, std::string name) : events_(events), name_(std::move(name)) {}

  Task<bool> Respond(int status, http::HeaderList, std::string body) override {
    events_.push_back(fmt::format("{} respond {} {}", name_, status, body));
    committed_ = true;
    co_return true;
  }
  Task<bool> BeginStream(int status, http::HeaderList) override {
    events_.push_back(fmt::format("{} begin {}", name_, status));
    committed_ = true;
    co_return true;
  }
  Task<bool> WriteChunk(std::span<const std::string_view> pieces) override {
    events_.push_back(fmt::format("{} chunk {}", name_, Join(pieces)));
    co_return true;
  }
  Task<bool> EndStream(std::span<const std::string_view> last) override {
    events_.push_back(fmt::format("{} end {}", name_, Join(last)));
    co_return true;
  }
  bool committed() const override { return committed_; }
  void StartWatching(std::function<void()>) override {}
  Task<> StopWatching() override { co_return; }
  bool client_gone() const override { return false; }

 private:
  static std::string Join(std::span<const std::string_view> pieces) {
    std::string joined;
    for (std::string_view piece : pieces) joined += piece;
    return joined;
  }

  Events& events_;
  const std::string name_;
  bool committed_ = false;
};

// The strict ledger: holds every durable record until the test commits them all in one go.
class FakeStrictLedger : public ledger::DurableCallSink {
 public:
  explicit FakeStrictLedger(Events& events) : events_(events) {}

  void Record(const ledger::CallRecord& record) override {
    events_.push_back(fmt::format("ledger record {} {}", record.status, record.error));
    recorded.push_back(record);
  }
  void RecordDurably(const ledger::CallRecord& record, Committed committed) override {
    events_.push_back(fmt::format("ledger commit requested {}", record.status));
    durable.push_back(record);
    waiting_.push_back(std::move(committed));
  }
  void Flush() override {}

  // One transaction for every record waiting; called back here, on the test's thread, as the real
  // ledger calls back on its writer thread.
  void CommitAll(Status outcome) {
    events_.push_back(outcome.ok() ? "ledger committed" : "ledger failed");
    std::vector<Committed> waiting = std::move(waiting_);
    for (Committed& committed : waiting) committed(outcome);
  }

  std::vector<ledger::CallRecord> durable;   // handed to RecordDurably
  std::vector<ledger::CallRecord> recorded;  // handed to Record

 private:
  Events& events_;
  std::vector<Committed> waiting_;
};

// The attempt that answers: its record so far.
class FakeAttempt : public AnsweringAttempt {
 public:
  ledger::AttemptRecord RecordSoFar() const override {
    ledger::AttemptRecord record;
    record.provider = "openai";
    record.model = "gpt-4o-mini";
    record.http_status = 200;
    record.usage.input_tokens = 10;
    record.usage.output_tokens = 5;
    record.usage.reported = true;
    record.cost_nanos = 15;
    record.latency_ms = 7;
    return record;
  }
};

class DurableDownstreamTest : public ::testing::Test {
 protected:
  DurableDownstreamTest() : state_(config::Config{}), ledger_(events_) {
    state_.sinks.push_back(&ledger_);
    state_.strict_ledger = &ledger_;
    request_.message.method(boost::beast::http::verb::post);
    request_.path = "/v1/chat/completions";
  }

  // One call with its client and its durable downstream.
  struct OneCall {
    OneCall(DurableDownstreamTest& test, std::string name)
        : client(test.events_, std::move(name)),
          call(test.state_, test.request_, *inbound::CodecFor(wire::Format::kOpenAI)),
          downstream(client, call) {
      call.StartAnswering(&attempt);
    }
    FakeClient client;
    FakeAttempt attempt;
    Call call;
    DurableDownstream downstream;
    bool done = false;
    bool delivered = false;
  };

  // Runs everything that is ready on the worker's io_context (the commit callbacks' posts too).
  void RunReady() {
    io_.restart();
    io_.poll();
  }

  void SpawnRespond(OneCall& one, std::string body) {
    net::co_spawn(
        io_,
        [&one, body = std::move(body)]() -> Task<> {
          one.delivered = co_await one.downstream.Respond(200, http::HeaderList(), body);
          one.done = true;
        },
        net::detached);
  }

  void SpawnStream(OneCall& one) {
    net::co_spawn(
        io_,
        [&one]() -> Task<> {
          co_await one.downstream.BeginStream(200, http::HeaderList());
          const std::string_view first = "data: a\n\n";
          co_await one.downstream.WriteChunk(std::span(&first, 1));
          const std::string_view last = "data: [DONE]\n\n";
          one.delivered = co_await one.downstream.EndStream(std::span(&last, 1));
          one.done = true;
        },
        net::detached);
  }

  Events events_;
  GatewayState state_;
  FakeStrictLedger ledger_;
  http::IncomingRequest request_;
  net::io_context io_;
};

TEST_F(DurableDownstreamTest, AWholeAnswerGoesOutOnlyAfterItsCallIsCommitted) {
  auto one = std::make_unique<OneCall>(*this, "client");
  SpawnRespond(*one, "answer");
  RunReady();
  EXPECT_EQ(events_, Events({"ledger commit requested 200"}));  // waiting, the thread free
  EXPECT_FALSE(one->done);

  ledger_.CommitAll(Status());
  RunReady();
  EXPECT_EQ(events_, Events({"ledger commit requested 200", "ledger committed",
                             "client respond 200 answer"}));
  EXPECT_TRUE(one->delivered);

  // The committed record is complete: the answering attempt, its cost, the status.
  ASSERT_EQ(ledger_.durable.size(), 1u);
  const ledger::CallRecord& record = ledger_.durable[0];
  EXPECT_EQ(record.status, 200);
  EXPECT_EQ(record.provider, "openai");
  EXPECT_EQ(record.model, "gpt-4o-mini");
  ASSERT_EQ(record.attempts.size(), 1u);
  EXPECT_EQ(record.TotalCostNanos(), 15);

  one.reset();  // the call ends: it is not recorded a second time
  EXPECT_TRUE(ledger_.recorded.empty());
  EXPECT_EQ(ledger_.durable.size(), 1u);
}

TEST_F(DurableDownstreamTest, CallsOnOneThreadWaitTogetherAndShareOneCommit) {
  OneCall first(*this, "first");
  OneCall second(*this, "second");
  SpawnRespond(first, "one");
  SpawnRespond(second, "two");
  RunReady();
  EXPECT_EQ(events_, Events({"ledger commit requested 200", "ledger commit requested 200"}));

  ledger_.CommitAll(Status());
  RunReady();
  EXPECT_EQ(events_, Events({"ledger commit requested 200", "ledger commit requested 200",
                             "ledger committed", "first respond 200 one",
                             "second respond 200 two"}));
  EXPECT_TRUE(first.delivered && second.delivered);
}

TEST_F(DurableDownstreamTest, AStreamEndsOnlyAfterItsCallIsCommitted) {
  OneCall one(*this, "client");
  SpawnStream(one);
  RunReady();
  EXPECT_EQ(events_, Events({"client begin 200", "client chunk data: a\n\n",
                             "ledger commit requested 200"}));
  ledger_.CommitAll(Status());
  RunReady();
  EXPECT_EQ(events_.back(), "client end data: [DONE]\n\n");
  EXPECT_EQ(events_[events_.size() - 2], "ledger committed");
  EXPECT_TRUE(one.delivered);
}

TEST_F(DurableDownstreamTest, ALedgerThatCannotCommitWithholdsTheWholeAnswer) {
  OneCall one(*this, "client");
  SpawnRespond(one, "PROVIDER-BODY");
  RunReady();
  ledger_.CommitAll(Status(Error::Unavailable("disk full")));
  RunReady();
  ASSERT_TRUE(one.done);
  EXPECT_FALSE(one.delivered);
  ASSERT_EQ(events_.size(), 4u);
  EXPECT_EQ(events_[1], "ledger failed");
  // The call is recorded (queued like a batch record) as what the client got instead: a 503.
  EXPECT_EQ(events_[2], "ledger record 503 " + Call::WithheldError().message);
  EXPECT_TRUE(events_[3].starts_with("client respond 503 {")) << events_[3];
  EXPECT_NE(events_[3].find("withheld"), std::string::npos) << events_[3];
  EXPECT_EQ(events_[3].find("PROVIDER-BODY"), std::string::npos) << events_[3];
}

TEST_F(DurableDownstreamTest, ALedgerThatCannotCommitCutsTheStreamBeforeItsEnd) {
  OneCall one(*this, "client");
  SpawnStream(one);
  RunReady();
  ledger_.CommitAll(Status(Error::Unavailable("disk full")));
  RunReady();
  ASSERT_TRUE(one.done);
  EXPECT_FALSE(one.delivered);
  // The head has gone (200), so the record keeps it; the client gets the API's error event and no
  // end of the body — not the last chunk.
  EXPECT_EQ(events_[events_.size() - 2], "ledger record 200 " + Call::WithheldError().message);
  EXPECT_TRUE(events_.back().starts_with("client chunk data: {\"error\"")) << events_.back();
  for (const std::string& event : events_) {
    EXPECT_FALSE(event.starts_with("client end")) << event;
    EXPECT_EQ(event.find("[DONE]"), std::string::npos) << event;
  }
}

// The settlement a proxied call sets after its admission: logs the record it settles with.
void SettleLogging(Call& call, Events& events) {
  call.set_settle_before_last_byte([&events](const ledger::CallRecord& record) -> Task<> {
    events.push_back(fmt::format("settle {} attempts, cost {}", record.attempts.size(),
                                 record.TotalCostNanos().value_or(-1)));
    co_return;
  });
}

TEST_F(DurableDownstreamTest, ACallIsSettledBeforeItsAnswersLastByte) {
  state_.strict_ledger = nullptr;  // a batch ledger: the settlement is all there is to do
  OneCall one(*this, "client");
  SettleLogging(one.call, events_);
  SpawnRespond(one, "answer");
  RunReady();
  EXPECT_EQ(events_, Events({"settle 1 attempts, cost 15", "client respond 200 answer"}));
  EXPECT_TRUE(one.delivered);
  EXPECT_FALSE(one.call.HasWorkBeforeLastByte());  // settled once
}

TEST_F(DurableDownstreamTest, AStreamIsSettledBeforeItsEndAndThenCommitted) {
  OneCall one(*this, "client");
  SettleLogging(one.call, events_);
  SpawnStream(one);
  RunReady();
  EXPECT_EQ(events_, Events({"client begin 200", "client chunk data: a\n\n",
                             "settle 1 attempts, cost 15", "ledger commit requested 200"}));
  ledger_.CommitAll(Status());
  RunReady();
  EXPECT_EQ(events_.back(), "client end data: [DONE]\n\n");
}

TEST_F(DurableDownstreamTest, ACallWithNothingToDoWritesStraightThrough) {
  state_.strict_ledger = nullptr;
  OneCall one(*this, "client");
  EXPECT_FALSE(one.call.HasWorkBeforeLastByte());
  SettleLogging(one.call, events_);
  one.call.set_settle_before_last_byte(nullptr);  // settled otherwise (an error's path)
  SpawnStream(one);
  RunReady();
  EXPECT_EQ(events_, Events({"client begin 200", "client chunk data: a\n\n",
                             "client end data: [DONE]\n\n"}));
  EXPECT_TRUE(one.delivered);
}

}  // namespace
}  // namespace switchyard::gateway
