// Session: one client connection. Reads requests one after another (HTTP/1.1 keep-alive), enforces
// the client limits (header size and read deadline, body size and read deadline), hands each request
// to the endpoint table, and closes the connection when the client, a limit or a shutdown says so.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <atomic>
#include <list>

#include "core/error.h"
#include "core/asio.h"
#include "http/server/client_limits.h"
#include "http/server/connection_gate.h"
#include "http/server/endpoint_table.h"

namespace switchyard::http {

// The sessions of one worker thread, so that a graceful shutdown can close the idle ones at once and
// let the others finish what they are doing. Touched only on that worker's thread: no lock.
class SessionRegistry {
 public:
  // Where a session is. Only an idle session may be closed when a drain starts: a reading one has
  // a request arriving (it is answered 503 once read), a busy one has a call in flight.
  enum class Phase {
    kIdle,     // waiting for the first byte of a request (or lingering after an error answer)
    kReading,  // a request's bytes have started to arrive
    kBusy,     // inside a request's handler
  };
  struct Entry {
    std::function<void()> close;   // closes the connection's socket
    std::function<void()> cancel;  // cancels its pending read (the session then decides)
    Phase phase = Phase::kIdle;
  };
  using Handle = std::list<Entry>::iterator;

  Handle Add(std::function<void()> close, std::function<void()> cancel) {
    count_.fetch_add(1, std::memory_order_relaxed);
    return entries_.insert(entries_.end(), {std::move(close), std::move(cancel)});
  }
  void Remove(Handle handle) {
    entries_.erase(handle);
    count_.fetch_sub(1, std::memory_order_relaxed);
  }
  // Starts draining: idle connections stop waiting now (a read that already brought bytes still
  // completes, and its request is answered 503), the others after their current exchange.
  void Drain();
  // Closes every connection, busy ones too (the grace period is over): their calls end as if the
  // client had left, so each still records its attempts.
  void CloseAll();
  bool draining() const { return draining_; }
  std::size_t size() const { return entries_.size(); }
  // The number of open connections; safe to read from any thread (shutdown polls it).
  std::size_t open_connections() const { return count_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::size_t> count_{0};
  std::list<Entry> entries_;
  bool draining_ = false;
};

struct SessionOptions {
  const EndpointTable* endpoints = nullptr;
  ClientLimits limits;
  SessionRegistry* registry = nullptr;
  // The cap on open connections, shared by every worker; none when null (the demo provider).
  ConnectionGate* gate = nullptr;
  // Renders an error the session itself detects (malformed HTTP, limits) as a response body in the
  // API format the path belongs to; returns the body, sets the content type.
  // `method` and `path` are empty when the request head could not be read.
  std::function<std::string(std::string_view method, std::string_view path, const Error& error,
                            std::string* content_type)>
      format_error;
};

// Runs the connection until it closes. Never throws: an unexpected exception is logged and answered
// with a bare 500 when nothing has been written yet. `ticket` (the connection's place under the
// gate's cap, if any) is given back when the session ends, however it ends.
Task<> RunSession(net::ip::tcp::socket socket, SessionOptions options,
                  std::optional<ConnectionGate::Ticket> ticket);

}  // namespace switchyard::http
