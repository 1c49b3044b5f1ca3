// ConnectionGate: the cap on open client connections, for the whole gateway (every worker's
// listener shares one gate: one atomic count) and optionally per client address (a small map under a
// mutex, touched only when a connection opens or closes, never on the request path).
//
// A connection that gets through holds a Ticket for as long as it is open; the Ticket gives its
// place back when it is destroyed, so every way a session ends (a clean close, an error, an
// exception, a worker stopping) counts it out exactly once.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

namespace switchyard::http {

// At most one log line per interval for an event that can repeat thousands of times a second (a
// refused connection, a failing accept), saying how many it stands for. Thread-safe.
class LogThrottle {
 public:
  using Clock = std::chrono::steady_clock;
  explicit LogThrottle(Clock::duration interval) : interval_(interval) {}

  // Counts one event at `now`. Returns the number of events a log line written now should report
  // (this one and those held back since the last line), or 0 when no line is due.
  std::uint64_t Count(Clock::time_point now);

 private:
  const Clock::duration interval_;
  std::mutex mutex_;
  std::optional<Clock::time_point> last_line_;
  std::uint64_t held_back_ = 0;
};

class ConnectionGate {
 public:
  // `max_total` > 0; `max_per_client` 0 means no per-address cap.
  ConnectionGate(std::uint64_t max_total, std::uint64_t max_per_client)
      : max_total_(max_total), max_per_client_(max_per_client) {}
  ConnectionGate(const ConnectionGate&) = delete;
  ConnectionGate& operator=(const ConnectionGate&) = delete;

  class Ticket {
   public:
    Ticket(Ticket&& other) noexcept
        : gate_(std::exchange(other.gate_, nullptr)), client_(std::move(other.client_)) {}
    Ticket& operator=(Ticket&&) = delete;
    Ticket(const Ticket&) = delete;
    ~Ticket() {
      if (gate_ != nullptr) gate_->Release(client_);
    }

   private:
    friend class ConnectionGate;
    Ticket(ConnectionGate* gate, std::string client) : gate_(gate), client_(std::move(client)) {}
    ConnectionGate* gate_;
    std::string client_;  // empty when there is no per-client cap
  };

  enum class Refusal { kTotal, kPerClient };
  // A ticket when a connection from `client` (its address) may open; else why not.
  std::optional<Ticket> Admit(const std::string& client, Refusal* refusal);

  std::uint64_t open() const { return open_.load(std::memory_order_relaxed); }
  std::uint64_t max_total() const { return max_total_; }
  std::uint64_t max_per_client() const { return max_per_client_; }

  // Shared by the listeners, so that the log stays quiet across workers too.
  LogThrottle& refusal_log() { return refusal_log_; }
  LogThrottle& accept_error_log() { return accept_error_log_; }

 private:
  void Release(const std::string& client);

  const std::uint64_t max_total_;
  const std::uint64_t max_per_client_;
  std::atomic<std::uint64_t> open_{0};
  std::mutex mutex_;
  std::unordered_map<std::string, std::uint64_t> per_client_;  // only with a per-client cap
  LogThrottle refusal_log_{std::chrono::seconds(10)};
  LogThrottle accept_error_log_{std::chrono::seconds(10)};
};

}  // namespace switchyard::http
