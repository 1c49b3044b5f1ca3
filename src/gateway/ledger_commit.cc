#include "gateway/ledger_commit.h"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>

#include <memory>
#include <optional>
#include <utility>

namespace switchyard::gateway {
namespace {

// Where the sink's answer meets the waiting coroutine. Touched on the coroutine's thread only:
// the sink's thread only posts.
struct Rendezvous {
  std::optional<Status> outcome;
  net::steady_timer* timer = nullptr;  // the coroutine's, while it waits
};

}  // namespace

Task<Status> AwaitCommit(ledger::DurableCallSink& ledger, const ledger::CallRecord& record) {
  const net::any_io_executor executor = co_await net::this_coro::executor;
  net::steady_timer timer(executor, net::steady_timer::time_point::max());
  auto rendezvous = std::make_shared<Rendezvous>();
  rendezvous->timer = &timer;
  ledger::DurableCallSink::Committed on_committed = [rendezvous, executor](Status committed) {
    net::post(executor, [rendezvous, committed = std::move(committed)]() mutable {
      rendezvous->outcome = std::move(committed);
      if (rendezvous->timer != nullptr) rendezvous->timer->cancel();
    });
  };
  ledger.RecordDurably(record, std::move(on_committed));
  // The handler runs on this thread, so it cannot slip in between this test and the wait.
  if (!rendezvous->outcome) co_await timer.async_wait(kUseTuple);
  rendezvous->timer = nullptr;
  if (!rendezvous->outcome) co_return Status(Error::Internal("the ledger commit was not awaited"));
  co_return std::move(*rendezvous->outcome);
}

}  // namespace switchyard::gateway
