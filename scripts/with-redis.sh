#!/usr/bin/env bash
# Runs CMD... with a throwaway Redis server on loopback, for the Redis client's tests:
#   bash scripts/with-redis.sh build/unit_tests --gtest_filter='Redis*'
# Starts redis-server on 127.0.0.1 at a free port, without persistence (no RDB snapshots, no AOF),
# in a fresh temp dir, exports
#   SWITCHYARD_TEST_REDIS_URL=redis://127.0.0.1:PORT
#   SWITCHYARD_TEST_REDIS_SERVER=/path/to/redis-server   (for tests that start and kill their own)
# runs CMD, then stops the server and removes the dir (on success, failure or interrupt). Exits with
# CMD's status. Never touches another server (e.g. the one the Debian package may run on 6379).
set -euo pipefail
if [ "$#" -eq 0 ]; then
  echo "usage: $0 CMD [ARGS...]" >&2
  exit 2
fi

REDIS_SERVER=${REDIS_SERVER:-$(command -v redis-server || true)}
if [ -z "$REDIS_SERVER" ] || [ ! -x "$REDIS_SERVER" ]; then
  echo "with-redis: no redis-server (install the redis-server package: scripts/install-deps.sh)" >&2
  exit 2
fi

workdir=$(mktemp -d "${TMPDIR:-/tmp}/switchyard-redis.XXXXXX")
server_pid=
cleanup() {
  local rc=$?
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$workdir"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0));
print(s.getsockname()[1])')

"$REDIS_SERVER" --bind 127.0.0.1 --port "$port" --save '' --appendonly no --dir "$workdir" \
  --daemonize no --logfile "$workdir/server.log" &
server_pid=$!

# Ready when it answers PING (bash's /dev/tcp: no redis-cli needed); 10 s at most.
ready=0
for _ in $(seq 1 100); do
  if ! kill -0 "$server_pid" 2>/dev/null; then break; fi
  if { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; then
    printf 'PING\r\n' >&3
    if read -r -t 1 answer <&3 && [ "${answer%$'\r'}" = "+PONG" ]; then ready=1; fi
    exec 3<&- 3>&-
    if [ "$ready" -eq 1 ]; then break; fi
  fi
  sleep 0.1
done
if [ "$ready" -ne 1 ]; then
  echo "with-redis: redis-server did not start on 127.0.0.1:$port" >&2
  cat "$workdir/server.log" >&2 || true
  exit 1
fi

export SWITCHYARD_TEST_REDIS_URL="redis://127.0.0.1:$port"
export SWITCHYARD_TEST_REDIS_SERVER="$REDIS_SERVER"
version=$("$REDIS_SERVER" --version | sed -nE 's/.* v=([0-9.]+).*/\1/p')
echo "with-redis: Redis $version on 127.0.0.1:$port" >&2
set +e
"$@"
rc=$?
set -e
exit "$rc"
