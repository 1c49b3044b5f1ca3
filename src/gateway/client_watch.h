// ClientWatch: one call's watch on the client's connection while its attempts wait on providers —
// one watch however many attempts are in flight (a race), each attempt joined with its own way to
// stop, so that a departing client cancels every one of them at once. An attempt leaves when it no
// longer waits; the watch itself runs until the call stops it, after every attempt has ended and
// before the call writes its own answer (an error): stopping it cancels the socket's pending read,
// which must not happen while an attempt's write is in flight.
//
// One per call, on the call's strand.
#pragma once

#include <functional>
#include <utility>
#include <vector>

#include "core/asio.h"
#include "gateway/cancel_scope.h"
#include "http/server/downstream.h"

namespace switchyard::gateway {

class ClientWatch final : public CancelScope {
 public:
  explicit ClientWatch(http::Downstream& downstream) : downstream_(downstream) {}
  ClientWatch(const ClientWatch&) = delete;
  ClientWatch& operator=(const ClientWatch&) = delete;

  // Attempt `n` waits on a provider: `on_gone` stops it if the client leaves.
  void Join(int n, std::function<void()> on_gone) override;
  // Attempt `n` no longer waits (a departure no longer concerns it).
  void Leave(int n) override;
  // Ends the watch. REQUIRES: no write to the client in flight.
  Task<> Stop();

 private:
  void OnGone();

  http::Downstream& downstream_;
  std::vector<std::pair<int, std::function<void()>>> members_;
  bool watching_ = false;
};

// A side exchange's place in a cancel scope (a guardrail's webhook or judge in its call's watch; a
// shadow or judge call in its worker's background work): joined for as long as it lives, with an
// id of its own (below the attempts', which count from 1). `watch` may be null.
class WatchMembership {
 public:
  WatchMembership(CancelScope* watch, std::function<void()> on_gone);
  ~WatchMembership();
  WatchMembership(const WatchMembership&) = delete;
  WatchMembership& operator=(const WatchMembership&) = delete;

 private:
  CancelScope* watch_;
  int id_;
};

}  // namespace switchyard::gateway
