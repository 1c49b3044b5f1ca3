// ClientLimits: what a client may send and how slowly, and how many connections it may hold. A plain
// value that the session and the listener read; config/ fills it from `limits:` (http/ sits below
// config/ and does not include it).
#pragma once

#include <chrono>
#include <cstdint>

namespace switchyard::http {

struct ClientLimits {
  std::uint64_t max_body = 32ull << 20;    // bytes; larger bodies get 413
  std::uint64_t max_header = 64ull << 10;  // bytes of request line + headers; larger get 431
  std::chrono::milliseconds header_read{10'000};     // the request head must arrive within this
  std::chrono::milliseconds body_read{60'000};       // the body must arrive within this once the
                                                     // head has
  std::chrono::milliseconds keepalive_idle{75'000};  // an idle keep-alive connection is closed
                                                     // after this
  // Bytes read ahead of a call in flight (pipelined requests); past this the client is not read
  // until the call ends.
  std::uint64_t max_pipelined = 64ull << 10;
  // Lingering close after an error answer that ends the connection: what the client still sends
  // is read and dropped for at most this long and this much, so that the answer is not reset away.
  std::chrono::milliseconds linger{5'000};
  std::uint64_t linger_bytes = 64ull << 20;
  // Open client connections across all workers; 0 until start-up sets it from the fd limit.
  std::uint64_t max_connections = 0;
  std::uint64_t max_connections_per_client = 0;  // per client address; 0: no cap
};

}  // namespace switchyard::http
