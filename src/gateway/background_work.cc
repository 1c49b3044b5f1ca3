#include "gateway/background_work.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <exception>

namespace switchyard::gateway {

bool BackgroundWork::Spawn(const net::any_io_executor& executor, Task<> task) {
  if (stopping_) return false;
  running_.fetch_add(1, std::memory_order_acq_rel);
  net::co_spawn(executor, std::move(task), [this](std::exception_ptr error) {
    if (error) {
      try {
        std::rethrow_exception(error);
      } catch (const std::exception& e) {
        spdlog::error("a background task failed: {}", e.what());
      } catch (...) {
        spdlog::error("a background task failed");
      }
    }
    running_.fetch_sub(1, std::memory_order_acq_rel);
  });
  return true;
}

void BackgroundWork::Join(int n, std::function<void()> cancel) {
  if (stopping_) {
    if (cancel) cancel();
    return;
  }
  members_.emplace_back(n, std::move(cancel));
}

void BackgroundWork::Leave(int n) {
  std::erase_if(members_, [n](const auto& member) { return member.first == n; });
}

// Taken out first: cancelling an exchange may end it at once, which then Leaves.
void BackgroundWork::CancelAll() {
  stopping_ = true;
  std::vector<std::pair<int, std::function<void()>>> members = std::move(members_);
  members_.clear();
  for (auto& member : members) {
    if (member.second) member.second();
  }
}

}  // namespace switchyard::gateway
