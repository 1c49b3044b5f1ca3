#include "ledger/sinks/access_log_sink.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cerrno>
#include <ctime>
#include <cstring>
#include <fmt/chrono.h>
#include <fmt/format.h>

namespace switchyard::ledger {
namespace json = boost::json;

namespace {

void PutUsage(json::object& out, const canonical::Usage& usage) {
  out["input_tokens"] = usage.input_tokens;
  out["cached_input_tokens"] = usage.cached_input_tokens;
  out["cache_write_tokens"] = usage.cache_write_tokens;
  out["cache_write_1h_tokens"] = usage.cache_write_1h_tokens;
  out["output_tokens"] = usage.output_tokens;
  out["reasoning_tokens"] = usage.reasoning_tokens;
}

// A cost in integer nano-dollars (exact; Boost.JSON would turn a decimal into a double), or null
// when the price is unknown.
json::value CostJson(std::optional<std::int64_t> nanos) {
  return nanos ? json::value(*nanos) : json::value(nullptr);
}

json::object FormatAttempt(const AttemptRecord& attempt) {
  json::object out;
  out["n"] = attempt.n;
  out["kind"] = ToString(attempt.kind);
  out["provider"] = attempt.provider;
  out["model"] = attempt.model;
  out["outcome"] = ToString(attempt.outcome);
  out["status"] = attempt.http_status;
  if (!attempt.reason.empty()) out["reason"] = attempt.reason;
  PutUsage(out, attempt.usage);
  out["usage_reported"] = attempt.usage.reported;
  out["estimated"] = attempt.usage_estimated;
  out["latency_ms"] = attempt.latency_ms;
  if (attempt.ttft_ms) out["ttft_ms"] = *attempt.ttft_ms;
  out["cost_nanos"] = CostJson(attempt.cost_nanos);
  return out;
}

// ISO 8601 in UTC with milliseconds, e.g. 2026-11-26T05:01:25.123Z.
std::string FormatUtc(std::chrono::system_clock::time_point time) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch());
  const std::time_t seconds = static_cast<std::time_t>(ms.count() / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03d}Z", utc, static_cast<int>(ms.count() % 1000));
}

json::array FormatAttempts(const std::vector<AttemptRecord>& attempts) {
  json::array out;
  for (const AttemptRecord& attempt : attempts) out.push_back(FormatAttempt(attempt));
  return out;
}

json::object FormatJudgement(const JudgementRecord& judgement) {
  json::object out;
  out["time"] = FormatUtc(judgement.time);
  out["route"] = judgement.route;
  out["epoch"] = judgement.epoch;
  out["mode"] = judgement.mode;
  out["variant_a"] = judgement.variant_a;
  out["variant_b"] = judgement.variant_b;
  out["served"] = judgement.served;
  out["outcome"] = judgement.outcome;
  out["score"] = judgement.score ? json::value(*judgement.score) : json::value(nullptr);
  out["a_first"] = judgement.a_first;
  out["b_first"] = judgement.b_first;
  const std::string_view reason = judgement.StoredReason();
  out["reason"] = json::string_view(reason.data(), reason.size());
  out["cost_nanos"] = CostJson(judgement.cost_nanos);
  return out;
}

}  // namespace

std::string AccessLogSink::FormatLateLine(const CallRecord& record) {
  json::object out;
  out["late"] = true;
  out["time"] = FormatUtc(record.time);
  out["request_id"] = record.request_id;
  out["attempts"] = FormatAttempts(record.attempts);
  if (record.judgement) out["judgement"] = FormatJudgement(*record.judgement);
  return json::serialize(out);
}

std::string AccessLogSink::FormatLine(const CallRecord& record) {
  json::object out;
  out["time"] = FormatUtc(record.time);
  out["request_id"] = record.request_id;
  out["key"] = record.key_name;
  if (!record.key_id.empty()) out["key_id"] = record.key_id;
  if (!record.team.empty()) out["team"] = record.team;
  if (!record.budget_alert.empty()) out["budget_alert"] = record.budget_alert;
  out["method"] = record.method;
  out["path"] = record.path;
  out["inbound"] = record.inbound;
  out["requested_model"] = record.requested_model;
  if (!record.route.empty()) out["route"] = record.route;
  out["provider"] = record.provider;
  out["model"] = record.model;
  out["status"] = record.status;
  out["stream"] = record.stream;
  if (!record.error.empty()) out["error"] = record.error;
  out["latency_ms"] = record.latency_ms;
  if (record.ttft_ms) out["ttft_ms"] = *record.ttft_ms;
  out["attempts"] = static_cast<std::int64_t>(record.attempts.size());
  PutUsage(out, record.TotalUsage());
  out["cost_nanos"] = CostJson(record.TotalCostNanos());
  if (!record.metadata_json.empty()) {
    boost::system::error_code ec;
    json::value metadata = json::parse(record.metadata_json, ec);
    if (!ec) out["metadata"] = std::move(metadata);
  }
  out["attempt_log"] = FormatAttempts(record.attempts);
  return json::serialize(out);
}

std::unique_ptr<AccessLogSink> AccessLogSink::Open(const std::string& destination,
                                                   std::string* error) {
  if (destination == "stdout") return std::unique_ptr<AccessLogSink>(new AccessLogSink(stdout, false));
  if (destination == "stderr") return std::unique_ptr<AccessLogSink>(new AccessLogSink(stderr, false));
  std::FILE* file = std::fopen(destination.c_str(), "a");
  if (file == nullptr) {
    *error = fmt::format("cannot open access log {}: {}", destination, std::strerror(errno));
    return nullptr;
  }
  return std::unique_ptr<AccessLogSink>(new AccessLogSink(file, true));
}

AccessLogSink::AccessLogSink(std::FILE* file, bool owns_file)
    : file_(file), owns_file_(owns_file), writer_([this] { WriterLoop(); }) {}

AccessLogSink::~AccessLogSink() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  writer_.join();
  if (owns_file_) std::fclose(file_);
}

void AccessLogSink::Record(const CallRecord& record) { Enqueue(FormatLine(record)); }

void AccessLogSink::RecordLate(const CallRecord& record) { Enqueue(FormatLateLine(record)); }

void AccessLogSink::Enqueue(std::string line) {
  {
    std::lock_guard lock(mutex_);
    if (queue_.size() >= kMaxQueued) {
      ++dropped_;
      return;
    }
    queue_.push_back(std::move(line));
  }
  wake_.notify_one();
}

void AccessLogSink::Flush() {
  std::unique_lock lock(mutex_);
  drained_.wait(lock, [this] { return queue_.empty() && !writing_; });
  std::fflush(file_);
}

void AccessLogSink::WriterLoop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stop_ || !queue_.empty(); });
    if (queue_.empty() && stop_) break;
    std::deque<std::string> batch;
    batch.swap(queue_);
    const std::size_t dropped = std::exchange(dropped_, 0);
    writing_ = true;
    lock.unlock();
    if (dropped > 0) {
      std::fprintf(file_, "{\"warning\":\"access log queue full: %zu lines dropped\"}\n", dropped);
    }
    for (const std::string& line : batch) {
      std::fwrite(line.data(), 1, line.size(), file_);
      std::fputc('\n', file_);
    }
    std::fflush(file_);
    lock.lock();
    writing_ = false;
    if (queue_.empty()) drained_.notify_all();
  }
  drained_.notify_all();
}

}  // namespace switchyard::ledger
