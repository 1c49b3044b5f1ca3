#include "http/server/fd_limit.h"

#include <sys/resource.h>

#include <algorithm>

namespace switchyard::http {
namespace {

// An unlimited hard limit cannot be the soft one (setrlimit refuses more than the kernel's
// nr_open); a million is Linux's default nr_open.
constexpr rlim_t kUnlimitedCap = 1 << 20;

}  // namespace

FdLimit RaiseFdLimit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return {};
  FdLimit result{limit.rlim_cur, limit.rlim_cur};
  const rlim_t target = limit.rlim_max == RLIM_INFINITY ? kUnlimitedCap : limit.rlim_max;
  if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < target) {
    rlimit raised = limit;
    raised.rlim_cur = target;
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) result.now = target;
  }
  return result;
}

std::uint64_t CurrentFdLimit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 1024;  // the usual default
  return limit.rlim_cur == RLIM_INFINITY ? kUnlimitedCap : limit.rlim_cur;
}

std::uint64_t DefaultMaxConnections(std::uint64_t fd_limit) {
  return std::max<std::uint64_t>(1, fd_limit / 5 * 4 + fd_limit % 5 * 4 / 5);
}

}  // namespace switchyard::http
