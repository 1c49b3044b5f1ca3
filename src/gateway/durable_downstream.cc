#include "gateway/durable_downstream.h"

#include <utility>

namespace switchyard::gateway {

Task<bool> DurableDownstream::RespondAfterStock(int status, http::HeaderList headers,
                                                std::string body) {
  const bool recorded = co_await call_.BeforeLastByte(status, /*stream=*/false);
  if (!recorded) {
    const Error withheld = Call::WithheldError();
    co_await call_.RespondError(client_, withheld);
    co_return false;  // the answer did not reach the client
  }
  const bool delivered = co_await client_.Respond(status, std::move(headers), std::move(body));
  co_return delivered;
}

Task<bool> DurableDownstream::EndAfterStock(std::span<const std::string_view> last_pieces) {
  const bool recorded = co_await call_.BeforeLastByte(stream_status_, /*stream=*/true);
  if (!recorded) {
    const std::string event = call_.codec().FormatStreamError(Call::WithheldError());
    const std::string_view piece = event;
    co_await client_.WriteChunk(std::span(&piece, 1));
    co_return false;  // no end: the session closes the connection without the terminator
  }
  const bool ended = co_await client_.EndStream(last_pieces);
  co_return ended;
}

}  // namespace switchyard::gateway
