// UpstreamDeadlines: how long each phase of one upstream exchange may take. A plain value that the
// exchange reads; config/ fills it (the top-level `limits:`, overridden per provider) and the
// gateway may shorten it per attempt. http/ sits below config/ and does not include it.
#pragma once

#include <chrono>

namespace switchyard::http {

struct UpstreamDeadlines {
  std::chrono::milliseconds connect{10'000};      // TCP connect + TLS handshake
  std::chrono::milliseconds first_byte{300'000};  // request sent → response head received
  std::chrono::milliseconds idle{120'000};        // between two body chunks (streams) once the
                                                  // head has arrived
  std::chrono::milliseconds total{600'000};       // the whole attempt, from connect to the last byte
};

}  // namespace switchyard::http
