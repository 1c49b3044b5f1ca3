#include "gateway/client_watch.h"

#include <algorithm>

namespace switchyard::gateway {

void ClientWatch::Join(int n, std::function<void()> on_gone) {
  members_.emplace_back(n, std::move(on_gone));
  if (watching_) return;
  watching_ = true;
  downstream_.StartWatching([this] { OnGone(); });
}

void ClientWatch::Leave(int n) {
  std::erase_if(members_, [n](const auto& member) { return member.first == n; });
}

Task<> ClientWatch::Stop() {
  members_.clear();
  if (!watching_) co_return;
  watching_ = false;
  co_await downstream_.StopWatching();
}

// Taken out first: stopping an attempt may end it at once, which then Leaves.
void ClientWatch::OnGone() {
  std::vector<std::pair<int, std::function<void()>>> gone = std::move(members_);
  members_.clear();
  for (auto& member : gone) {
    if (member.second) member.second();
  }
}

namespace {
int NextSideId() {
  thread_local int next = 0;
  return -1 - (next++ & 0x3fffffff);  // negative: never an attempt's number
}
}  // namespace

WatchMembership::WatchMembership(CancelScope* watch, std::function<void()> on_gone)
    : watch_(watch), id_(NextSideId()) {
  if (watch_ != nullptr) watch_->Join(id_, std::move(on_gone));
}

WatchMembership::~WatchMembership() {
  if (watch_ != nullptr) watch_->Leave(id_);
}

}  // namespace switchyard::gateway
