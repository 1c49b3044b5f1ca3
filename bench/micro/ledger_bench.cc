// Ledger benchmarks (DESIGN.md "Tests": figures, never a CI gate).
//
//   BUILD_DIR=build-ledger bash scripts/build.sh -DSWITCHYARD_BENCH=ON
//   build-ledger/micro_bench --benchmark_filter=Ledger
//
// BM_LedgerRecord: what Record() costs the caller (the request path): a copy of the record and a
// push under a mutex, with the writer committing to disk at the same time on its own thread.
// `writer_paused:0` (the writer commits meanwhile: `committed_meanwhile`) and `writer_paused:1`
// should be about the same — if Record() waited for the disk,
// the running case would be far slower. Counters: p50/p99/max of single calls in ns, and dropped
// (0: the bound was never reached, so no call was lost).
//
// BM_LedgerWriteThroughput: rows/s the writer commits to SQLite (WAL, synchronous=FULL, 500 per
// transaction): each iteration records 20,000 calls of 2 attempts and flushes.
//
// BM_LedgerDurability: what `ledger.durability: strict` costs against `batch`, side by side in one
// run (rows strict:0 and strict:1), on the same disk: calls/s that reach the ledger when
// `in_flight` calls at a time are being answered. batch: each call is queued and forgotten (the
// writer batches for up to flush_ms, then commits; the Flush at the end of each iteration waits for
// the last commit). strict: each call waits for its own commit before the next one takes its place
// (as a client waits for its answer); the calls that arrive while a commit is running share the
// next one (group commit). Counters: calls/s, calls_per_commit (the group size) and, for strict,
// commit_wait_us (the mean time a call waits for its commit: the latency strict adds to an answer).
//
// BM_LedgerWriterDrain: the writer thread alone, i.e. its CPU per recorded call: 5,000 calls of 2
// attempts are queued while the writer is paused (untimed), then the clock runs while it drains
// them in batches of 500. Under valgrind --tool=callgrind --separate-threads=yes, the writer thread's
// instruction count divided by the calls written is the per-call figure; `per_call` is wall time.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include "ledger/sqlite/sqlite_ledger_sink.h"

namespace switchyard::ledger {
namespace {

std::filesystem::path BenchDir(const std::string& name) {
  std::filesystem::path dir = std::filesystem::temp_directory_path() /
                              ("switchyard-ledger-bench-" + name + "-" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  return dir;
}

CallRecord SampleCall(std::int64_t i) {
  CallRecord record;
  record.request_id = "req-" + std::to_string(i);
  record.time = std::chrono::system_clock::now();
  record.key_name = "team-a";
  record.method = "POST";
  record.path = "/v1/chat/completions";
  record.inbound = "openai";
  record.requested_model = "resilient";
  record.route = "resilient";
  record.provider = "anthropic";
  record.model = "claude-3-5-haiku-latest";
  record.status = 200;
  record.latency_ms = 640;
  record.ttft_ms = 210;
  record.metadata_json = R"({"user":"u-1234","feature":"search"})";
  for (int n = 1; n <= 2; ++n) {
    AttemptRecord attempt;
    attempt.n = n;
    attempt.kind = n == 1 ? AttemptKind::kPrimary : AttemptKind::kFallback;
    attempt.provider = n == 1 ? "openai" : "anthropic";
    attempt.model = n == 1 ? "gpt-4o-mini" : "claude-3-5-haiku-latest";
    attempt.outcome = n == 1 ? AttemptOutcome::kUpstreamError : AttemptOutcome::kSuccess;
    attempt.http_status = n == 1 ? 429 : 200;
    attempt.reason = n == 1 ? "rate limited" : "";
    attempt.usage.input_tokens = 1200;
    attempt.usage.cached_input_tokens = 300;
    attempt.usage.output_tokens = n == 1 ? 0 : 250;
    attempt.usage.reported = true;
    attempt.cost_nanos = n == 1 ? 0 : 1'234'567;
    attempt.latency_ms = 300;
    record.attempts.push_back(std::move(attempt));
  }
  return record;
}

void BM_LedgerRecord(benchmark::State& state) {
  const bool paused = state.range(0) == 1;
  const std::filesystem::path dir = BenchDir("record");
  SqliteLedgerOptions options;
  options.max_queued = 1 << 22;  // measure the caller's cost, not the full-queue policy
  auto sink = SqliteLedgerSink::Open((dir / "ledger.db").string(), options);
  if (!sink.ok()) {
    state.SkipWithError(sink.error().message.c_str());
    return;
  }
  if (paused) (*sink)->PauseWriterForTest();
  // Prepared outside the timed region: on the request path the record already exists. Only the
  // Record() call is timed (manual time); giving each call a fresh request id is not.
  CallRecord call = SampleCall(0);
  std::vector<std::int64_t> each_ns;
  each_ns.reserve(static_cast<std::size_t>(state.max_iterations));
  std::int64_t i = 0;
  for (auto _ : state) {
    call.request_id = "req-" + std::to_string(i++);
    const auto start = std::chrono::steady_clock::now();
    (*sink)->Record(call);
    const auto end = std::chrono::steady_clock::now();
    const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(end - start).count();
    state.SetIterationTime(static_cast<double>(ns) * 1e-9);
    if (each_ns.size() < each_ns.capacity()) each_ns.push_back(ns);
  }
  std::sort(each_ns.begin(), each_ns.end());
  if (!each_ns.empty()) {
    state.counters["p50_ns"] = static_cast<double>(each_ns[each_ns.size() / 2]);
    state.counters["p99_ns"] = static_cast<double>(each_ns[each_ns.size() * 99 / 100]);
    state.counters["max_ns"] = static_cast<double>(each_ns.back());
  }
  const SqliteLedgerStats stats = (*sink)->stats();
  state.counters["dropped"] = static_cast<double>(stats.dropped);
  state.counters["committed_meanwhile"] = static_cast<double>(stats.committed);
  state.SetItemsProcessed(state.iterations());
  if (paused) (*sink)->ResumeWriterForTest();
  (*sink)->Flush();
  sink->reset();
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_LedgerRecord)
    ->ArgName("writer_paused")
    ->Arg(0)
    ->Arg(1)
    ->Iterations(200'000)
    ->UseManualTime();

void BM_LedgerWriteThroughput(benchmark::State& state) {
  const std::filesystem::path dir = BenchDir("throughput");
  auto sink = SqliteLedgerSink::Open((dir / "ledger.db").string());
  if (!sink.ok()) {
    state.SkipWithError(sink.error().message.c_str());
    return;
  }
  constexpr std::int64_t kCalls = 20'000;
  std::int64_t next = 0;
  for (auto _ : state) {
    for (std::int64_t i = 0; i < kCalls; ++i) (*sink)->Record(SampleCall(next++));
    (*sink)->Flush();
  }
  const double calls = static_cast<double>(state.iterations() * kCalls);
  state.counters["call_rows/s"] = benchmark::Counter(calls, benchmark::Counter::kIsRate);
  state.counters["attempt_rows/s"] = benchmark::Counter(2 * calls, benchmark::Counter::kIsRate);
  state.counters["rows/s"] = benchmark::Counter(3 * calls, benchmark::Counter::kIsRate);
  state.counters["batches"] = static_cast<double>((*sink)->stats().batches);
  sink->reset();
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_LedgerWriteThroughput)->Unit(benchmark::kMillisecond)->UseRealTime();

// Keeps `in_flight` durable records outstanding until `calls` have committed; returns the summed
// wait of every call, in microseconds.
double RunStrictCalls(SqliteLedgerSink& sink, std::int64_t calls, std::int64_t in_flight,
                      std::int64_t& next) {
  std::mutex mutex;
  std::condition_variable changed;
  std::int64_t outstanding = 0;
  double waited_us = 0;
  for (std::int64_t i = 0; i < calls; ++i) {
    {
      std::unique_lock lock(mutex);
      changed.wait(lock, [&] { return outstanding < in_flight; });
      ++outstanding;
    }
    const auto start = std::chrono::steady_clock::now();
    sink.RecordDurably(SampleCall(next++), [&, start](Status) {
      const auto waited = std::chrono::steady_clock::now() - start;
      std::lock_guard lock(mutex);
      waited_us += std::chrono::duration<double, std::micro>(waited).count();
      --outstanding;
      changed.notify_one();
    });
  }
  std::unique_lock lock(mutex);
  changed.wait(lock, [&] { return outstanding == 0; });
  return waited_us;
}

void BM_LedgerDurability(benchmark::State& state) {
  const bool strict = state.range(0) == 1;
  const std::int64_t in_flight = state.range(1);
  const std::filesystem::path dir = BenchDir(strict ? "strict" : "batch");
  auto sink = SqliteLedgerSink::Open((dir / "ledger.db").string());
  if (!sink.ok()) {
    state.SkipWithError(sink.error().message.c_str());
    return;
  }
  constexpr std::int64_t kCalls = 4'000;
  std::int64_t next = 0;
  double waited_us = 0;
  for (auto _ : state) {
    if (strict) {
      waited_us += RunStrictCalls(**sink, kCalls, in_flight, next);
    } else {
      for (std::int64_t i = 0; i < kCalls; ++i) (*sink)->Record(SampleCall(next++));
      (*sink)->Flush();
    }
  }
  const SqliteLedgerStats stats = (*sink)->stats();
  const double calls = static_cast<double>(state.iterations() * kCalls);
  state.counters["calls/s"] = benchmark::Counter(calls, benchmark::Counter::kIsRate);
  state.counters["calls_per_commit"] =
      stats.batches > 0 ? static_cast<double>(stats.committed) / static_cast<double>(stats.batches)
                        : 0;
  if (strict) state.counters["commit_wait_us"] = waited_us / calls;
  sink->reset();
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_LedgerDurability)
    ->ArgNames({"strict", "in_flight"})
    ->Args({0, 64})
    ->Args({1, 64})
    ->Args({1, 512})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_LedgerWriterDrain(benchmark::State& state) {
  const std::filesystem::path dir = BenchDir("drain");
  auto sink = SqliteLedgerSink::Open((dir / "ledger.db").string());
  if (!sink.ok()) {
    state.SkipWithError(sink.error().message.c_str());
    return;
  }
  constexpr std::int64_t kCalls = 5'000;
  std::int64_t next = 0;
  for (auto _ : state) {
    state.PauseTiming();
    (*sink)->PauseWriterForTest();
    for (std::int64_t i = 0; i < kCalls; ++i) (*sink)->Record(SampleCall(next++));
    state.ResumeTiming();
    (*sink)->ResumeWriterForTest();
    (*sink)->Flush();
  }
  state.SetItemsProcessed(state.iterations() * kCalls);
  state.counters["per_call"] = benchmark::Counter(
      static_cast<double>(state.iterations() * kCalls),
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  sink->reset();
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_LedgerWriterDrain)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace switchyard::ledger
