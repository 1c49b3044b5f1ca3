#include "gateway/durable_downstream.h"

#include <utility>

namespace switchyard::gateway {

Task<bool> DurableDownstream::Respond(int status, http::HeaderList headers, std::string body) {
  if (co_await call_.CommitBeforeLastByte(status, /*stream=*/false)) {
    co_return co_await client_.Respond(status, std::move(headers), std::move(body));
  }
  co_await call_.RespondError(client_, Call::WithheldError());
  co_return false;  // the answer did not reach the client
}

Task<bool> DurableDownstream::EndStream(std::span<const std::string_view> last_pieces) {
  if (co_await call_.CommitBeforeLastByte(stream_status_, /*stream=*/true)) {
    co_return co_await client_.EndStream(last_pieces);
  }
  const std::string event = call_.codec().FormatStreamError(Call::WithheldError());
  const std::string_view piece = event;
  co_await client_.WriteChunk(std::span(&piece, 1));
  co_return false;  // no end: the session closes the connection without the terminator
}

}  // namespace switchyard::gateway
