// Helpers for the SQLite ledger tests: a temporary directory per test, record builders, and direct
// queries of the database file (independent of LedgerReader, so reader bugs cannot hide sink bugs).
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "ledger/call_record.h"
#include "ledger/ledger_time.h"
#include "ledger/sqlite/sqlite_db.h"

namespace switchyard::ledger::testing_util {

// A fresh directory under the system temp dir, removed with everything in it at destruction.
class TempDir {
 public:
  TempDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = "switchyard-ledger-";
    if (info != nullptr) name += std::string(info->test_suite_name()) + "-" + info->name() + "-";
    name += std::to_string(::getpid());
    path_ = std::filesystem::temp_directory_path() / name;
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string File(const std::string& relative) const { return (path_ / relative).string(); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline std::chrono::system_clock::time_point At(std::string_view iso) {
  Result<std::int64_t> ms = ParseIsoTime(iso);
  EXPECT_TRUE(ms.ok()) << iso;
  return std::chrono::system_clock::time_point(std::chrono::milliseconds(ms.ok() ? *ms : 0));
}

inline canonical::Usage Tokens(std::int64_t input, std::int64_t cached, std::int64_t write_5m,
                               std::int64_t write_1h, std::int64_t output,
                               std::int64_t reasoning) {
  canonical::Usage usage;
  usage.input_tokens = input;
  usage.cached_input_tokens = cached;
  usage.cache_write_tokens = write_5m;
  usage.cache_write_1h_tokens = write_1h;
  usage.output_tokens = output;
  usage.reasoning_tokens = reasoning;
  usage.reported = true;
  return usage;
}

inline AttemptRecord Attempt(int n, std::string provider, std::string model,
                             canonical::Usage usage, std::optional<std::int64_t> cost_nanos,
                             AttemptOutcome outcome = AttemptOutcome::kSuccess,
                             int http_status = 200) {
  AttemptRecord attempt;
  attempt.n = n;
  attempt.kind = n == 1 ? AttemptKind::kPrimary : AttemptKind::kFallback;
  attempt.provider = std::move(provider);
  attempt.model = std::move(model);
  attempt.outcome = outcome;
  attempt.http_status = http_status;
  attempt.usage = usage;
  attempt.cost_nanos = cost_nanos;
  attempt.latency_ms = 100 * n;
  return attempt;
}

// A plain successful call with `attempts` attempts at openai/gpt-4o-mini, each of 10 input and 5
// output tokens costing 15 nano-dollars.
inline CallRecord SimpleCall(const std::string& request_id, int attempts = 1) {
  CallRecord record;
  record.request_id = request_id;
  record.time = At("2026-03-01T10:00:00Z");
  record.key_name = "team-a";
  record.method = "POST";
  record.path = "/v1/chat/completions";
  record.inbound = "openai";
  record.requested_model = "openai/gpt-4o-mini";
  record.provider = "openai";
  record.model = "gpt-4o-mini";
  record.status = 200;
  record.latency_ms = 42;
  for (int n = 1; n <= attempts; ++n) {
    record.attempts.push_back(Attempt(n, "openai", "gpt-4o-mini", Tokens(10, 0, 0, 0, 5, 0), 15));
  }
  return record;
}

// Runs a single-integer query against the database file directly.
inline std::int64_t QueryInt(const std::string& db_path, const std::string& sql) {
  Result<SqliteDb> db = SqliteDb::Open(db_path, /*read_only=*/true);
  EXPECT_TRUE(db.ok()) << (db.ok() ? "" : db.error().message);
  if (!db.ok()) return -1;
  Result<SqliteStatement> stmt = db->Prepare(sql);
  EXPECT_TRUE(stmt.ok()) << sql << ": " << (stmt.ok() ? "" : stmt.error().message);
  if (!stmt.ok()) return -1;
  std::string error;
  const bool row = stmt->Step(&error);
  EXPECT_TRUE(row) << sql << ": " << error;
  return row ? stmt->Int(0) : -1;
}

}  // namespace switchyard::ledger::testing_util
