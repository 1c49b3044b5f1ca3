// ReplyReader: turns the bytes a Redis server sends into Replies, one at a time, in order.
// hiredis's redisReader does the RESP parsing; its object callbacks build our Reply tree directly.
//
// Bounded: a reply may take at most `max_reply_bytes` bytes on the wire, counted from the end of
// the previous reply as bytes arrive (a reply still arriving counts too), so a huge or endless
// reply is refused before it is buffered whole; an array header announcing more elements than
// could fit in that many bytes is refused before hiredis allocates for them. hiredis 0.14 also
// refuses arrays nested deeper than 7 levels.
//
// After an error the reader is unusable (the stream is out of step): the connection must close.
// Not thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "core/result.h"
#include "redis/reply.h"

struct redisReader;

namespace switchyard::redis {

class ReplyReader {
 public:
  explicit ReplyReader(std::size_t max_reply_bytes);
  ~ReplyReader();
  ReplyReader(const ReplyReader&) = delete;
  ReplyReader& operator=(const ReplyReader&) = delete;

  // Adds bytes received from the server.
  Status Feed(std::string_view bytes);
  // The next complete reply; nullopt when more bytes are needed; Error::Unavailable for a protocol
  // error or a reply over the limit (its message names no server: the connection adds that).
  Result<std::optional<Reply>> Next();

  std::size_t max_reply_bytes() const { return max_reply_bytes_; }
  // Set by the array callback when it refuses an oversized array (hiredis reports it as OOM).
  bool array_refused = false;

 private:
  std::size_t Unparsed() const;
  Error TooLarge(std::size_t bytes) const;

  redisReader* reader_;
  const std::size_t max_reply_bytes_;
  std::size_t current_reply_bytes_ = 0;  // consumed by hiredis for the reply in progress
};

}  // namespace switchyard::redis
