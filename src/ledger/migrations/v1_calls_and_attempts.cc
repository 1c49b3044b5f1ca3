#include "ledger/migrations/steps.h"

namespace switchyard::ledger {

// Version 1: the calls and their attempts. One index besides the keys: every reader filters by time
// first (spend, reconciliation) or looks a call up by its id; each further index costs the writer a
// b-tree insert per row that no query would use. PostgreSQL's types: timestamptz beside time_ms,
// boolean flags, jsonb metadata.
const Migration kCallsAndAttempts = {
    1, "calls and attempts",
    R"sql(
CREATE TABLE calls (
  request_id      TEXT    PRIMARY KEY,
  time            TEXT    NOT NULL,
  time_ms         INTEGER NOT NULL,
  key_name        TEXT    NOT NULL,
  method          TEXT    NOT NULL,
  path            TEXT    NOT NULL,
  inbound         TEXT    NOT NULL,
  requested_model TEXT    NOT NULL,
  route           TEXT    NOT NULL,
  provider        TEXT    NOT NULL,
  model           TEXT    NOT NULL,
  status          INTEGER NOT NULL,
  stream          INTEGER NOT NULL,
  error           TEXT,
  latency_ms      INTEGER NOT NULL,
  ttft_ms         INTEGER,
  attempts        INTEGER NOT NULL,
  metadata        TEXT,
  cost_nanos      INTEGER,
  estimated       INTEGER NOT NULL,
  cache           TEXT
);
CREATE INDEX calls_by_time ON calls (time_ms);
CREATE TABLE attempts (
  request_id            TEXT    NOT NULL,
  n                     INTEGER NOT NULL,
  kind                  TEXT    NOT NULL,
  provider              TEXT    NOT NULL,
  model                 TEXT    NOT NULL,
  outcome               TEXT    NOT NULL,
  http_status           INTEGER NOT NULL,
  reason                TEXT    NOT NULL,
  input_tokens          INTEGER NOT NULL,
  cached_input_tokens   INTEGER NOT NULL,
  cache_write_tokens    INTEGER NOT NULL,
  cache_write_1h_tokens INTEGER NOT NULL,
  output_tokens         INTEGER NOT NULL,
  reasoning_tokens      INTEGER NOT NULL,
  usage_reported        INTEGER NOT NULL,
  cost_nanos            INTEGER,
  estimated             INTEGER NOT NULL,
  latency_ms            INTEGER NOT NULL,
  ttft_ms               INTEGER,
  PRIMARY KEY (request_id, n)
) WITHOUT ROWID;
)sql",
    R"sql(
CREATE TABLE calls (
  request_id      text        PRIMARY KEY,
  time            timestamptz NOT NULL,
  time_ms         bigint      NOT NULL,
  key_name        text        NOT NULL,
  method          text        NOT NULL,
  path            text        NOT NULL,
  inbound         text        NOT NULL,
  requested_model text        NOT NULL,
  route           text        NOT NULL,
  provider        text        NOT NULL,
  model           text        NOT NULL,
  status          integer     NOT NULL,
  stream          boolean     NOT NULL,
  error           text,
  latency_ms      bigint      NOT NULL,
  ttft_ms         bigint,
  attempts        integer     NOT NULL,
  metadata        jsonb,
  cost_nanos      bigint,
  estimated       boolean     NOT NULL,
  cache           text
);
CREATE INDEX calls_by_time ON calls (time_ms);
CREATE TABLE attempts (
  request_id            text    NOT NULL,
  n                     integer NOT NULL,
  kind                  text    NOT NULL,
  provider              text    NOT NULL,
  model                 text    NOT NULL,
  outcome               text    NOT NULL,
  http_status           integer NOT NULL,
  reason                text    NOT NULL,
  input_tokens          bigint  NOT NULL,
  cached_input_tokens   bigint  NOT NULL,
  cache_write_tokens    bigint  NOT NULL,
  cache_write_1h_tokens bigint  NOT NULL,
  output_tokens         bigint  NOT NULL,
  reasoning_tokens      bigint  NOT NULL,
  usage_reported        boolean NOT NULL,
  cost_nanos            bigint,
  estimated             boolean NOT NULL,
  latency_ms            bigint  NOT NULL,
  ttft_ms               bigint,
  PRIMARY KEY (request_id, n)
);
)sql"};

}  // namespace switchyard::ledger
