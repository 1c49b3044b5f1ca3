#!/usr/bin/env bash
# Runs CMD... with a throwaway PostgreSQL server on loopback, for the PostgreSQL ledger's tests:
#   bash scripts/with-postgres.sh build/unit_tests --gtest_filter='Postgres*'
# initdb's a cluster in a fresh temp dir (owned by the `postgres` system user when run as root, since
# the server refuses to run as root), starts it on 127.0.0.1 at a free port with its unix socket in
# that dir, creates the database switchyard_test, exports
#   SWITCHYARD_TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:PORT/switchyard_test
# runs CMD, then stops the server and removes the dir (on success, failure or interrupt). Exits with
# CMD's status. Never touches another cluster (e.g. the one the Debian package starts on 5432).
# PG_BIN overrides the server binaries' directory (default: the newest /usr/lib/postgresql/*/bin).
set -euo pipefail
if [ "$#" -eq 0 ]; then
  echo "usage: $0 CMD [ARGS...]" >&2
  exit 2
fi

PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
  echo "with-postgres: no PostgreSQL server binaries (install the postgresql package: " \
       "scripts/install-deps.sh)" >&2
  exit 2
fi

workdir=$(mktemp -d "${TMPDIR:-/tmp}/switchyard-pg.XXXXXX")
# The server runs as `postgres` when we are root, as ourselves otherwise.
as_server() { "$@"; }
if [ "$(id -u)" -eq 0 ]; then
  chown postgres:postgres "$workdir"
  as_server() { runuser -u postgres -- "$@"; }
fi

started=0
cleanup() {
  local rc=$?
  if [ "$started" -eq 1 ]; then
    as_server "$PG_BIN/pg_ctl" -D "$workdir/data" -m fast -w stop >/dev/null 2>&1 ||
      as_server "$PG_BIN/pg_ctl" -D "$workdir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$workdir"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

as_server "$PG_BIN/initdb" -D "$workdir/data" -U postgres --auth=trust --encoding=UTF8 \
  --locale=C >"$workdir/initdb.log" 2>&1 || { cat "$workdir/initdb.log" >&2; exit 1; }
mkdir -p "$workdir/socket"
chown --reference="$workdir" "$workdir/socket"
# fsync off: a throwaway cluster needs no durability, and the tests commit many small batches.
started=1
server_options="-c listen_addresses=127.0.0.1 -p $port -k $workdir/socket -c fsync=off"
as_server "$PG_BIN/pg_ctl" -D "$workdir/data" -l "$workdir/server.log" -w -t 60 \
  -o "$server_options" start >/dev/null ||
  { cat "$workdir/server.log" >&2; exit 1; }
as_server "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres switchyard_test

export SWITCHYARD_TEST_POSTGRES_URL="postgresql://postgres@127.0.0.1:$port/switchyard_test"
version=$("$PG_BIN/postgres" --version | awk '{print $3}')
echo "with-postgres: PostgreSQL $version on 127.0.0.1:$port" >&2
set +e
"$@"
rc=$?
set -e
exit "$rc"
