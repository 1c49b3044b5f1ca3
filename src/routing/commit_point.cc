#include "routing/commit_point.h"

#include <algorithm>
#include <utility>

namespace switchyard::routing {

void CommitPoint::Enter(int n, Cancel cancel) { entrants_.push_back({n, std::move(cancel)}); }

void CommitPoint::Leave(int n) {
  std::erase_if(entrants_, [n](const Entrant& entrant) { return entrant.n == n; });
}

bool CommitPoint::Claim(int n) {
  if (holder_) return *holder_ == n;
  holder_ = n;
  // Taken out first: a cancel may end its attempt at once, which then Leaves.
  std::vector<Entrant> others;
  for (Entrant& entrant : entrants_) {
    if (entrant.n != n) others.push_back(std::move(entrant));
  }
  std::erase_if(entrants_, [n](const Entrant& entrant) { return entrant.n != n; });
  for (Entrant& other : others) {
    if (other.cancel) other.cancel();
  }
  if (on_claim_) on_claim_();
  return true;
}

}  // namespace switchyard::routing
