// SimulatedProvider: `switchyard serve --demo`'s stand-in for real providers. An OpenAI-compatible
// HTTP server on a loopback port that answers chat completions (plain and streamed, with usage),
// embeddings and model lists deterministically, every answer marked "[simulated]", so that a new user
// can try the gateway with no provider keys. Each model's first byte comes after its own seeded
// delay (simulated_models.h), which a closed connection cuts short. It runs on its own thread and
// io_context.
#pragma once

#include <boost/asio/io_context.hpp>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/result.h"
#include "demo/first_byte_delay.h"
#include "http/server/endpoint_table.h"
#include "http/server/listener.h"

namespace switchyard::demo {

class SimulatedProvider {
 public:
  SimulatedProvider();
  ~SimulatedProvider();

  // Listens on 127.0.0.1 (a free port) and starts serving.
  Status Start();
  // "http://127.0.0.1:PORT/v1"
  std::string base_url() const;
  static const std::vector<std::string>& Models();

 private:
  net::io_context io_{1};
  DelaySchedule schedule_;
  http::EndpointTable endpoints_;
  http::SessionRegistry registry_;
  std::unique_ptr<http::Listener> listener_;
  std::thread thread_;
};

}  // namespace switchyard::demo
