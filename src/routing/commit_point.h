// CommitPoint: the moment an attempt's first byte reaches the client, after which the call is that
// attempt's and no other target may be tried. One per call, owned by the router.
//
// Every attempt in flight enters it with a way to cancel itself, and asks it (Claim) before it
// writes its first byte to the client. The first to ask gets it; the attempts still in flight are
// then cancelled, in the order they entered, and any later Claim is refused (that attempt must end
// without writing). A sequential plan has one attempt in flight, so its Claim is always granted; a
// race (several in flight) or a hedge (a second started on a timer) is the same path with more
// entrants — policy data (routing/launch_policy.h), not another loop.
//
// Used on the call's strand only; not thread-safe.
#pragma once

#include <functional>
#include <optional>
#include <vector>

namespace switchyard::routing {

class CommitPoint {
 public:
  using Cancel = std::function<void()>;

  CommitPoint() = default;
  CommitPoint(const CommitPoint&) = delete;
  CommitPoint& operator=(const CommitPoint&) = delete;

  // Attempt `n` is in flight; `cancel` stops it if another attempt claims the call first. Called
  // by the attempt itself, which knows how to stop (the router does not).
  void Enter(int n, Cancel cancel);
  // Attempt `n` has ended (whatever way): it is no longer cancelled by a claim.
  void Leave(int n);

  // Asked by attempt `n` before its first byte reaches the client. True for the first attempt to
  // ask (and again for that attempt); false for any other, which must then end without writing.
  bool Claim(int n);

  // Runs once, right after the first claim is granted and the others are cancelled: the router
  // wakes whatever of its own still waits (a hedge's delay, a retry's backoff).
  void OnClaim(std::function<void()> hook) { on_claim_ = std::move(hook); }

  // The attempt that holds the call; nullopt while none does.
  std::optional<int> holder() const { return holder_; }
  std::size_t in_flight() const { return entrants_.size(); }

 private:
  struct Entrant {
    int n = 0;
    Cancel cancel;
  };
  std::vector<Entrant> entrants_;  // in the order they entered
  std::optional<int> holder_;
  std::function<void()> on_claim_;
};

}  // namespace switchyard::routing
