#include "ledger/migrations/steps.h"

namespace switchyard::ledger {

// Version 2: governance (CONTRACT.md "Governance"). Each call now names the key's id and team (spend
// per key and team is rebuilt from these at start) and whether it passed a soft budget. Virtual keys
// are stored hashed, their policy (name, team, tags, models, budget, limits, expiry) as a JSON
// document the governance folder owns; budgets above keys likewise. `governance_revision` is one
// row that every change to keys or budgets increments in the same transaction: gateways poll it to
// see a change from another instance or from `switchyard keys`. The audit log keeps every admin
// action, without secrets.
const Migration kGovernance = {
    2, "governance: virtual keys, budgets, audit log",
    R"sql(
ALTER TABLE calls ADD COLUMN key_id TEXT;
ALTER TABLE calls ADD COLUMN team TEXT;
ALTER TABLE calls ADD COLUMN budget_alert TEXT;
CREATE TABLE virtual_keys (
  id         TEXT    PRIMARY KEY,
  key_hash   TEXT    NOT NULL UNIQUE,
  prefix     TEXT    NOT NULL,
  policy     TEXT    NOT NULL,
  created_ms INTEGER NOT NULL,
  updated_ms INTEGER NOT NULL,
  revoked_ms INTEGER
);
CREATE TABLE budgets (
  id         TEXT    PRIMARY KEY,
  policy     TEXT    NOT NULL,
  created_ms INTEGER NOT NULL,
  updated_ms INTEGER NOT NULL
);
CREATE TABLE governance_revision (revision INTEGER NOT NULL);
INSERT INTO governance_revision (revision) VALUES (0);
CREATE TABLE audit_log (
  seq     INTEGER PRIMARY KEY AUTOINCREMENT,
  time_ms INTEGER NOT NULL,
  actor   TEXT    NOT NULL,
  action  TEXT    NOT NULL,
  target  TEXT    NOT NULL,
  before  TEXT,
  after   TEXT
);
)sql",
    R"sql(
ALTER TABLE calls ADD COLUMN key_id text;
ALTER TABLE calls ADD COLUMN team text;
ALTER TABLE calls ADD COLUMN budget_alert text;
CREATE TABLE virtual_keys (
  id         text   PRIMARY KEY,
  key_hash   text   NOT NULL UNIQUE,
  prefix     text   NOT NULL,
  policy     jsonb  NOT NULL,
  created_ms bigint NOT NULL,
  updated_ms bigint NOT NULL,
  revoked_ms bigint
);
CREATE TABLE budgets (
  id         text   PRIMARY KEY,
  policy     jsonb  NOT NULL,
  created_ms bigint NOT NULL,
  updated_ms bigint NOT NULL
);
CREATE TABLE governance_revision (revision bigint NOT NULL);
INSERT INTO governance_revision (revision) VALUES (0);
CREATE TABLE audit_log (
  seq     bigserial PRIMARY KEY,
  time_ms bigint NOT NULL,
  actor   text   NOT NULL,
  action  text   NOT NULL,
  target  text   NOT NULL,
  before  jsonb,
  after   jsonb
);
)sql"};

}  // namespace switchyard::ledger
