// LibPq: the libpq functions the PostgreSQL ledger calls, loaded with dlopen the first time a
// PostgreSQL ledger is used. A gateway on the embedded SQLite ledger then never maps libpq and the
// twenty libraries it pulls in (Kerberos, LDAP, SASL, GnuTLS, p11-kit...), which took 3.4 MB of its
// idle RSS when they were linked in.
//
// Include only from the files that call libpq (it brings in libpq-fe.h).
// Thread-safety: LoadLibPq() may be called from any thread; the table it returns is immutable.
#pragma once

#include <libpq-fe.h>

#include "core/result.h"

namespace switchyard::ledger {

#define SWITCHYARD_LIBPQ_FUNCTIONS(X)                                                       \
  X(PQconninfoParse) X(PQconninfoFree) X(PQfreemem) X(PQconnectdbParams) X(PQstatus)       \
  X(PQerrorMessage) X(PQsetNoticeProcessor) X(PQfinish) X(PQexec) X(PQexecParams)          \
  X(PQresultStatus) X(PQresultErrorMessage) X(PQclear) X(PQntuples) X(PQgetisnull)         \
  X(PQgetvalue) X(PQgetlength)

struct LibPq {
#define SWITCHYARD_LIBPQ_MEMBER(name) decltype(&::name) name = nullptr;
  SWITCHYARD_LIBPQ_FUNCTIONS(SWITCHYARD_LIBPQ_MEMBER)
#undef SWITCHYARD_LIBPQ_MEMBER
};

// The loaded functions, or Error::Unavailable naming the library or function that is missing.
// Loads once; later calls return the same table (or the same error).
Result<const LibPq*> LoadLibPq();

// The loaded table. REQUIRES: LoadLibPq() succeeded (every PgConnection and PgResult implies it).
const LibPq& Pq();

}  // namespace switchyard::ledger
