// The process's file-descriptor limit, which bounds how many client connections can be open at
// once: each takes one, and so does each upstream connection, the ledger and the log.
#pragma once

#include <cstdint>

namespace switchyard::http {

struct FdLimit {
  std::uint64_t before = 0;  // the soft limit the process started with
  std::uint64_t now = 0;     // the soft limit after raising it (equal when it could not be)
};

// Raises the soft RLIMIT_NOFILE to the hard limit (the most an unprivileged process may take).
FdLimit RaiseFdLimit();

// The current soft RLIMIT_NOFILE.
std::uint64_t CurrentFdLimit();

// The default limits.max_connections: 80% of the fd limit, leaving the rest for upstream
// connections and the gateway's own files; at least 1.
std::uint64_t DefaultMaxConnections(std::uint64_t fd_limit);

}  // namespace switchyard::http
