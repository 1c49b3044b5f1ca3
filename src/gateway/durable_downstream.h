// DurableDownstream: the client's side of a proxied call. It passes every write through to the
// real Downstream, except that before the last byte of an answer — a whole response, or a stream's
// end — it has the call take stock (Call::BeforeLastByte) and waits for that: the call's budgets
// are settled, so a client that got its answer is charged what it spent before its next call
// arrives; and with `ledger.durability: strict` (CONTRACT.md "Ledger durability") the call is
// committed to the ledger, so a client that got a complete answer is in the ledger, whatever
// crashes afterwards.
//
// When the ledger cannot commit the call, the answer is withheld: a whole answer becomes a 503 in
// the client's API shape (Call::WithheldError); a stream gets the API's error event, and no end —
// the connection closes without the chunked terminator, so that even a client that had already
// read the stream's end marker sees a broken body, not a complete answer.
//
// A call with nothing to do before its last byte (no budget, a batch ledger) writes straight
// through, without a coroutine of its own. Not thread-safe, like Downstream.
#pragma once

#include <utility>

#include "gateway/call.h"
#include "http/server/downstream.h"

namespace switchyard::gateway {

class DurableDownstream : public http::Downstream {
 public:
  DurableDownstream(http::Downstream& client, Call& call) : client_(client), call_(call) {}

  Task<bool> Respond(int status, http::HeaderList headers, std::string body) override {
    if (!call_.HasWorkBeforeLastByte()) {
      return client_.Respond(status, std::move(headers), std::move(body));
    }
    return RespondAfterStock(status, std::move(headers), std::move(body));
  }
  Task<bool> BeginStream(int status, http::HeaderList headers) override {
    stream_status_ = status;
    return client_.BeginStream(status, std::move(headers));
  }
  Task<bool> WriteChunk(std::span<const std::string_view> pieces) override {
    return client_.WriteChunk(pieces);
  }
  Task<bool> EndStream(std::span<const std::string_view> last_pieces = {}) override {
    if (!call_.HasWorkBeforeLastByte()) return client_.EndStream(last_pieces);
    return EndAfterStock(last_pieces);
  }

  bool committed() const override { return client_.committed(); }
  void StartWatching(std::function<void()> on_gone) override {
    client_.StartWatching(std::move(on_gone));
  }
  Task<> StopWatching() override { return client_.StopWatching(); }
  bool client_gone() const override { return client_.client_gone(); }

 private:
  Task<bool> RespondAfterStock(int status, http::HeaderList headers, std::string body);
  Task<bool> EndAfterStock(std::span<const std::string_view> last_pieces);

  http::Downstream& client_;
  Call& call_;
  int stream_status_ = 0;  // the status BeginStream sent, for the stream's record
};

}  // namespace switchyard::gateway
