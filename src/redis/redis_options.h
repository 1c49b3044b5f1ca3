// RedisOptions: the bounds of a Redis client, each with a default that suits a gateway instance
// talking to a Redis on its own network (rate limits, budgets, the response cache).
#pragma once

#include <chrono>
#include <cstddef>

namespace switchyard::redis {

struct RedisOptions {
  // Resolving and connecting (AUTH and SELECT then run under command_timeout).
  std::chrono::milliseconds connect_timeout{2000};
  // A command with no reply by then fails, and its connection is closed: with replies matched to
  // commands first-in first-out, a missing reply puts every later one out of step. (So a blocking
  // command such as BLPOP must block for less than this.)
  std::chrono::milliseconds command_timeout{1000};
  // Commands sent and not yet answered, per connection; the next one fails at once with
  // Error::Unavailable instead of queueing without bound.
  std::size_t max_pending = 1024;
  // The largest reply, in bytes on the wire; a larger one closes the connection with an error
  // (a cached answer is at most a few hundred KB; rate-limit replies are a few bytes).
  std::size_t max_reply_bytes = 8 * 1024 * 1024;
  // After a failed connect, commands fail fast until the backoff passes; it doubles with each
  // further failure up to the maximum, and resets on a successful connect.
  std::chrono::milliseconds reconnect_backoff{100};
  std::chrono::milliseconds max_reconnect_backoff{5000};
};

}  // namespace switchyard::redis
