// Helpers for the PostgreSQL ledger tests: a fresh database per test on the server that
// scripts/with-postgres.sh starts (its URL in SWITCHYARD_TEST_POSTGRES_URL; tests skip without it),
// and direct queries of that database (independent of PostgresLedgerReader, so reader bugs cannot
// hide sink bugs).
#pragma once

#include <gtest/gtest.h>

#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "ledger/postgres/pg_conn.h"

namespace switchyard::ledger::testing_util {

// The server's URL; empty when the tests run without one.
inline std::string PostgresTestUrl() {
  const char* url = std::getenv("SWITCHYARD_TEST_POSTGRES_URL");
  return url != nullptr ? url : "";
}

// A database named after the current test, created empty on construction (dropped first if a
// previous run left it) and dropped at destruction. url() is its connection URL.
class PostgresTestDatabase {
 public:
  PostgresTestDatabase() {
    const std::string server = PostgresTestUrl();
    if (server.empty()) return;
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    name_ = "sy_";
    for (char c : std::string(info->test_suite_name()) + "_" + info->name()) {
      const unsigned char u = static_cast<unsigned char>(c);
      name_ += std::isalnum(u) ? static_cast<char>(std::tolower(u)) : '_';
    }
    name_ = name_.substr(0, 63);
    // postgresql://user@host:port/DB with no query: the database is the last path segment.
    url_ = server.substr(0, server.rfind('/') + 1) + name_;
    Result<PgConnection> admin = PgConnection::Connect(server);
    EXPECT_TRUE(admin.ok()) << admin.error().message;
    if (!admin.ok()) return;
    Result<PgResult> dropped = admin->Exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    EXPECT_TRUE(dropped.ok()) << dropped.error().message;
    Result<PgResult> created = admin->Exec("CREATE DATABASE " + name_);
    EXPECT_TRUE(created.ok()) << created.error().message;
  }
  ~PostgresTestDatabase() {
    if (name_.empty()) return;
    Result<PgConnection> admin = PgConnection::Connect(PostgresTestUrl());
    if (admin.ok()) (void)admin->Exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  }
  PostgresTestDatabase(const PostgresTestDatabase&) = delete;
  PostgresTestDatabase& operator=(const PostgresTestDatabase&) = delete;

  const std::string& url() const { return url_; }

  // Runs a single-integer query (NULL reads as -1).
  std::int64_t QueryInt(const std::string& sql) const {
    Result<PgConnection> conn = PgConnection::Connect(url_);
    EXPECT_TRUE(conn.ok()) << conn.error().message;
    if (!conn.ok()) return -2;
    Result<PgResult> result = conn->Exec(sql);
    EXPECT_TRUE(result.ok()) << sql << ": " << result.error().message;
    if (!result.ok() || result->rows() != 1) return -2;
    return result->IsNull(0, 0) ? -1 : result->Int(0, 0);
  }

  // Runs statements; expects success.
  void Exec(const std::string& sql) const {
    Result<PgConnection> conn = PgConnection::Connect(url_);
    ASSERT_TRUE(conn.ok()) << conn.error().message;
    Result<PgResult> result = conn->Exec(sql);
    ASSERT_TRUE(result.ok()) << sql << ": " << result.error().message;
  }

 private:
  std::string name_;
  std::string url_;
};

}  // namespace switchyard::ledger::testing_util

// Skips the test when no PostgreSQL server was started for it.
#define SKIP_WITHOUT_POSTGRES()                                                              \
  do {                                                                                       \
    if (::switchyard::ledger::testing_util::PostgresTestUrl().empty()) {                     \
      GTEST_SKIP() << "SWITCHYARD_TEST_POSTGRES_URL is unset: run under "                    \
                      "scripts/with-postgres.sh";                                            \
    }                                                                                        \
  } while (false)
