#include "http/server/connection_gate.h"

#include <gtest/gtest.h>

#include <optional>
#include <vector>

namespace switchyard::http {
namespace {

using Refusal = ConnectionGate::Refusal;

TEST(ConnectionGateTest, AdmitsUpToTheCapThenRefuses) {
  ConnectionGate gate(/*max_total=*/3, /*max_per_client=*/0);
  std::vector<ConnectionGate::Ticket> open;
  Refusal refusal = Refusal::kPerClient;
  for (int i = 0; i < 3; ++i) {
    auto ticket = gate.Admit("10.0.0.1", &refusal);
    ASSERT_TRUE(ticket) << i;
    open.push_back(std::move(*ticket));
  }
  EXPECT_EQ(gate.open(), 3u);
  EXPECT_FALSE(gate.Admit("10.0.0.2", &refusal));
  EXPECT_EQ(refusal, Refusal::kTotal);
  EXPECT_EQ(gate.open(), 3u) << "a refusal is not counted";
}

// Every way a session ends destroys its ticket: that is the one place the count goes down.
TEST(ConnectionGateTest, ATicketGivesItsPlaceBackWhenDestroyedOnce) {
  ConnectionGate gate(1, 0);
  Refusal refusal{};
  {
    std::optional<ConnectionGate::Ticket> ticket = gate.Admit("a", &refusal);
    ASSERT_TRUE(ticket);
    std::optional<ConnectionGate::Ticket> moved(std::move(*ticket));  // moved-from gives nothing back
    ticket.reset();
    EXPECT_EQ(gate.open(), 1u);
    EXPECT_FALSE(gate.Admit("b", &refusal));
  }
  EXPECT_EQ(gate.open(), 0u);
  EXPECT_TRUE(gate.Admit("b", &refusal));
  EXPECT_EQ(gate.open(), 0u);
}

TEST(ConnectionGateTest, CapsEachClientAddressWhenAsked) {
  ConnectionGate gate(/*max_total=*/10, /*max_per_client=*/2);
  Refusal refusal{};
  auto a1 = gate.Admit("10.0.0.1", &refusal);
  auto a2 = gate.Admit("10.0.0.1", &refusal);
  ASSERT_TRUE(a1 && a2);
  EXPECT_FALSE(gate.Admit("10.0.0.1", &refusal));
  EXPECT_EQ(refusal, Refusal::kPerClient);
  EXPECT_EQ(gate.open(), 2u) << "a per-client refusal gives its total place back";
  auto b1 = gate.Admit("10.0.0.2", &refusal);
  EXPECT_TRUE(b1) << "another address has its own cap";
  a1.reset();
  EXPECT_TRUE(gate.Admit("10.0.0.1", &refusal)) << "a closed connection frees its address's place";
}

TEST(LogThrottleTest, OneLinePerIntervalCountingTheEventsHeldBack) {
  LogThrottle throttle(std::chrono::seconds(10));
  const LogThrottle::Clock::time_point t0{};
  EXPECT_EQ(throttle.Count(t0), 1u) << "the first event is logged";
  EXPECT_EQ(throttle.Count(t0 + std::chrono::seconds(1)), 0u);
  EXPECT_EQ(throttle.Count(t0 + std::chrono::seconds(9)), 0u);
  EXPECT_EQ(throttle.Count(t0 + std::chrono::seconds(10)), 3u) << "this one and the two held back";
  EXPECT_EQ(throttle.Count(t0 + std::chrono::seconds(11)), 0u);
}

}  // namespace
}  // namespace switchyard::http
