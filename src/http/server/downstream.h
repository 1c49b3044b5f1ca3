// Downstream: the client's side of one HTTP exchange, as a handler sees it. A handler either answers
// once with Respond(), or streams with BeginStream(), WriteChunk()... and EndStream(). Every write
// completes only when the client has taken the bytes (or the kernel has buffered them), which is what
// gives streams their backpressure: a relay reads the next upstream chunk only after the previous
// downstream write completed.
//
// Not thread-safe: used from the connection's own thread only.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <string_view>

#include "core/asio.h"
#include "http/server/http_response.h"

namespace switchyard::http {

class Downstream {
 public:
  virtual ~Downstream() = default;

  // Writes a complete response. Returns false when the client is gone.
  virtual Task<bool> Respond(int status, HeaderList headers, std::string body) = 0;

  // Starts a chunked response: the head goes out with the first chunk (or the end), so that a
  // stream's first write is one packet, not two. Returns false when the client is gone.
  virtual Task<bool> BeginStream(int status, HeaderList headers) = 0;
  // Writes one chunk (several buffers, sent as one chunk). REQUIRES: BeginStream succeeded.
  virtual Task<bool> WriteChunk(std::span<const std::string_view> pieces) = 0;
  // Ends a chunked response, after a last chunk of `last_pieces` when given (one write for both).
  virtual Task<bool> EndStream(std::span<const std::string_view> last_pieces = {}) = 0;

  // True once a response has been started (Respond or BeginStream): past this point, it can no
  // longer be replaced (the router's commit point).
  virtual bool committed() const = 0;

  // Starts watching the connection while the handler waits on a provider; `on_gone` runs (once, on
  // this thread) if the client disconnects. StopWatching() ends the watch and waits for it; both are
  // no-ops when already in that state.
  virtual void StartWatching(std::function<void()> on_gone) = 0;
  virtual Task<> StopWatching() = 0;
  virtual bool client_gone() const = 0;
};

}  // namespace switchyard::http
