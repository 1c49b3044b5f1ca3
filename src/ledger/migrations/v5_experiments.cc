#include "ledger/migrations/steps.h"

namespace switchyard::ledger {

// Version 5: `ab` experiments (issue 17, ledger/experiment_store.h). A call of an `ab` route
// records the variant that served it and the experiment's epoch ('' for every other call, and for
// every call stored before this version). The partial index serves the results' reads (one epoch
// of one route, by time) and costs nothing for the calls of other routes, which it leaves out.
// `experiments` holds each epoch's state; its JSON columns are stored as text in both backends so
// that they read back byte for byte as written. `judgements` holds what the judge said after a
// call (written with the call's late attempts), one per call and compared variant.
const Migration kExperiments = {
    5, "experiments: variants and epochs of calls, experiment state, judgements",
    R"sql(
ALTER TABLE calls ADD COLUMN variant TEXT NOT NULL DEFAULT '';
ALTER TABLE calls ADD COLUMN epoch TEXT NOT NULL DEFAULT '';
CREATE INDEX calls_by_experiment ON calls (route, epoch, time_ms) WHERE epoch <> '';
CREATE TABLE experiments (
  route      TEXT    NOT NULL,
  epoch      TEXT    NOT NULL,
  variants   TEXT    NOT NULL,
  status     TEXT    NOT NULL,
  shares     TEXT    NOT NULL,
  promotion  TEXT,
  started_ms INTEGER NOT NULL,
  updated_ms INTEGER NOT NULL,
  PRIMARY KEY (route, epoch)
) WITHOUT ROWID;
CREATE TABLE judgements (
  request_id TEXT    NOT NULL,
  time_ms    INTEGER NOT NULL,
  route      TEXT    NOT NULL,
  epoch      TEXT    NOT NULL,
  mode       TEXT    NOT NULL,
  variant_a  TEXT    NOT NULL,
  variant_b  TEXT    NOT NULL,
  served     TEXT    NOT NULL,
  outcome    TEXT    NOT NULL,
  score      INTEGER,
  a_first    TEXT    NOT NULL,
  b_first    TEXT    NOT NULL,
  reason     TEXT    NOT NULL,
  cost_nanos INTEGER,
  PRIMARY KEY (request_id, variant_b)
);
CREATE INDEX judgements_by_experiment ON judgements (route, epoch, time_ms);
)sql",
    R"sql(
ALTER TABLE calls ADD COLUMN variant text NOT NULL DEFAULT '';
ALTER TABLE calls ADD COLUMN epoch text NOT NULL DEFAULT '';
CREATE INDEX calls_by_experiment ON calls (route, epoch, time_ms) WHERE epoch <> '';
CREATE TABLE experiments (
  route      text   NOT NULL,
  epoch      text   NOT NULL,
  variants   text   NOT NULL,
  status     text   NOT NULL,
  shares     text   NOT NULL,
  promotion  text,
  started_ms bigint NOT NULL,
  updated_ms bigint NOT NULL,
  PRIMARY KEY (route, epoch)
);
CREATE TABLE judgements (
  request_id text    NOT NULL,
  time_ms    bigint  NOT NULL,
  route      text    NOT NULL,
  epoch      text    NOT NULL,
  mode       text    NOT NULL,
  variant_a  text    NOT NULL,
  variant_b  text    NOT NULL,
  served     text    NOT NULL,
  outcome    text    NOT NULL,
  score      integer,
  a_first    text    NOT NULL,
  b_first    text    NOT NULL,
  reason     text    NOT NULL,
  cost_nanos bigint,
  PRIMARY KEY (request_id, variant_b)
);
CREATE INDEX judgements_by_experiment ON judgements (route, epoch, time_ms);
)sql"};

}  // namespace switchyard::ledger
