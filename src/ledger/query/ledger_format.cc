#include "ledger/query/ledger_format.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <optional>
#include <string_view>

#include "ledger/ledger_time.h"
#include "pricing/money.h"

namespace switchyard::ledger {
namespace {

constexpr std::uint64_t kNanosPerDollar = 1'000'000'000;

// The magnitude of `nanos` split into whole dollars and nano-dollars, and its sign; exact for
// every int64, INT64_MIN included.
struct Dollars {
  bool negative;
  std::uint64_t whole;
  std::uint64_t fraction;  // 0..999'999'999
};

Dollars Split(std::int64_t nanos) {
  const bool negative = nanos < 0;
  const std::uint64_t magnitude =
      negative ? 0 - static_cast<std::uint64_t>(nanos) : static_cast<std::uint64_t>(nanos);
  return {negative, magnitude / kNanosPerDollar, magnitude % kNanosPerDollar};
}

// A minimal JSON text builder: dollar amounts must go in as exact decimal text, which a JSON DOM
// would first turn into a double.
class JsonOut {
 public:
  JsonOut& Open() { return Punct('{'); }
  JsonOut& Close() {
    text_ += '}';
    first_ = false;
    return *this;
  }
  JsonOut& OpenArray(std::string_view key) {
    Key(key);
    text_ += '[';
    first_ = true;
    return *this;
  }
  JsonOut& CloseArray() {
    text_ += ']';
    first_ = false;
    return *this;
  }
  JsonOut& String(std::string_view key, std::string_view value) {
    Key(key);
    text_ += boost::json::serialize(boost::json::string_view(value.data(), value.size()));
    return *this;
  }
  JsonOut& OptionalString(std::string_view key, const std::optional<std::string>& value) {
    return value ? String(key, *value) : Raw(key, "null");
  }
  JsonOut& Int(std::string_view key, std::int64_t value) { return Raw(key, std::to_string(value)); }
  JsonOut& Bool(std::string_view key, bool value) { return Raw(key, value ? "true" : "false"); }
  JsonOut& Usd(std::string_view key, const std::optional<std::int64_t>& nanos) {
    return Raw(key, nanos ? pricing::FormatUsd(*nanos) : "null");
  }
  JsonOut& Raw(std::string_view key, std::string_view json) {
    Key(key);
    text_ += json;
    return *this;
  }
  std::string Take() { return std::move(text_); }

 private:
  JsonOut& Punct(char c) {
    if (!first_) text_ += ',';
    text_ += c;
    first_ = true;
    return *this;
  }
  void Key(std::string_view key) {
    if (!first_) text_ += ',';
    first_ = false;
    if (key.empty()) return;  // an array element
    text_ += '"';
    text_ += key;  // keys are our own constant names: nothing to escape
    text_ += "\":";
  }
  std::string text_;
  bool first_ = true;
};

void PutTokens(JsonOut& out, const canonical::Usage& u) {
  out.Int("input_tokens", u.input_tokens)
      .Int("cached_input_tokens", u.cached_input_tokens)
      .Int("cache_write_tokens", u.cache_write_tokens)
      .Int("cache_write_1h_tokens", u.cache_write_1h_tokens)
      .Int("output_tokens", u.output_tokens)
      .Int("reasoning_tokens", u.reasoning_tokens);
}

std::vector<std::string> TokenCells(const canonical::Usage& u) {
  return {std::to_string(u.input_tokens),         std::to_string(u.cached_input_tokens),
          std::to_string(u.cache_write_tokens),   std::to_string(u.cache_write_1h_tokens),
          std::to_string(u.output_tokens),        std::to_string(u.reasoning_tokens)};
}

const std::vector<std::string>& TokenColumns() {
  static const std::vector<std::string> columns = {
      "input_tokens",          "cached_input_tokens", "cache_write_tokens",
      "cache_write_1h_tokens", "output_tokens",       "reasoning_tokens"};
  return columns;
}

// The sums read from the ledger saturate at int64's bounds (ledger_reader.cc); so does a total of
// them, rather than overflowing.
void AddSaturating(std::int64_t& total, std::int64_t value) {
  if (__builtin_add_overflow(total, value, &total)) {
    total = value < 0 ? std::numeric_limits<std::int64_t>::min()
                      : std::numeric_limits<std::int64_t>::max();
  }
}

void AddUsage(canonical::Usage& total, const canonical::Usage& u) {
  AddSaturating(total.input_tokens, u.input_tokens);
  AddSaturating(total.cached_input_tokens, u.cached_input_tokens);
  AddSaturating(total.cache_write_tokens, u.cache_write_tokens);
  AddSaturating(total.cache_write_1h_tokens, u.cache_write_1h_tokens);
  AddSaturating(total.output_tokens, u.output_tokens);
  AddSaturating(total.reasoning_tokens, u.reasoning_tokens);
}

std::string CsvField(std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(field);
  std::string quoted = "\"";
  for (char c : field) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

std::string Csv(const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows) {
  std::string out;
  auto line = [&](const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (i > 0) out += ',';
      out += CsvField(cells[i]);
    }
    out += '\n';
  };
  line(header);
  for (const auto& row : rows) line(row);
  return out;
}

// Aligned columns: the first `text_columns` left-aligned, numbers right-aligned.
std::string Table(const std::vector<std::string>& header,
                  const std::vector<std::vector<std::string>>& rows, std::size_t text_columns) {
  std::vector<std::size_t> width(header.size(), 0);
  auto measure = [&](const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) width[i] = std::max(width[i], cells[i].size());
  };
  measure(header);
  for (const auto& row : rows) measure(row);
  std::string out;
  auto line = [&](const std::vector<std::string>& cells) {
    std::string text;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (i > 0) text += "  ";
      const std::string pad(width[i] - cells[i].size(), ' ');
      text += i < text_columns ? cells[i] + pad : pad + cells[i];
    }
    text.erase(text.find_last_not_of(' ') + 1);
    out += text;
    out += '\n';
  };
  line(header);
  for (const auto& row : rows) line(row);
  return out;
}

std::string UnpricedNote(std::int64_t unpriced) {
  if (unpriced == 0) return {};
  return fmt::format("note: {} attempt{} had no known price; cost_usd leaves {} out (unknown, not "
                     "$0)\n", unpriced, unpriced == 1 ? "" : "s", unpriced == 1 ? "it" : "them");
}

std::string GroupCell(const std::optional<std::string>& group) { return group.value_or("(none)"); }

void PutRange(JsonOut& out, const TimeRange& range) {
  out.OptionalString("since", range.since_ms ? std::optional(FormatIsoUtcMillis(*range.since_ms))
                                             : std::nullopt);
  out.OptionalString("until", range.until_ms ? std::optional(FormatIsoUtcMillis(*range.until_ms))
                                             : std::nullopt);
}

// CONTRACT.md: the HTTP code, or what ended the attempt when no code tells it.
std::string AttemptStatusJson(const AttemptRow& a) {
  // A 2xx whose body was no answer (truncated, not JSON, too large) is an upstream error too.
  const bool ended_without_answer = a.outcome == "timeout" || a.outcome == "connect_error" ||
                                    a.outcome == "cancelled" || a.outcome == "stream_error" ||
                                    a.outcome == "rate_limited" ||
                                    (a.outcome == "upstream_error" && a.http_status < 400);
  if (a.http_status > 0 && !ended_without_answer) return std::to_string(a.http_status);
  const std::string_view word = a.outcome.empty() ? std::string_view("unknown") : a.outcome;
  return boost::json::serialize(boost::json::string_view(word.data(), word.size()));
}

std::string MetadataJson(const std::string& text) {
  if (text.empty()) return "null";
  boost::system::error_code ec;
  const boost::json::value value = boost::json::parse(text, ec);
  if (ec || !value.is_object()) return "null";
  return boost::json::serialize(value);
}

// The guardrails that fired (CallRow::guardrails, "name:action" comma-separated in firing order) as
// [{"name":...,"action":...}, ...]: each entry split at its last ':' (an entry without one is all
// name, its action ""); empty entries are skipped.
void PutGuardrails(JsonOut& out, std::string_view text) {
  out.OpenArray("guardrails");
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    const std::string_view entry = text.substr(start, comma - start);
    start = comma + 1;
    if (entry.empty()) continue;
    const std::size_t colon = entry.rfind(':');
    const std::string_view action =
        colon == std::string_view::npos ? std::string_view() : entry.substr(colon + 1);
    out.Open().String("name", entry.substr(0, colon)).String("action", action).Close();
  }
  out.CloseArray();
}

}  // namespace


std::string FormatUsdFixed(std::int64_t nanos) {
  const Dollars d = Split(nanos);
  return fmt::format("{}{}.{:09d}", d.negative ? "-" : "", d.whole, d.fraction);
}

Result<OutputFormat> ParseOutputFormat(std::string_view text) {
  if (text.empty() || text == "table") return OutputFormat::kTable;
  if (text == "csv") return OutputFormat::kCsv;
  if (text == "json") return OutputFormat::kJson;
  return Error::InvalidRequest(
      fmt::format("format '{}' is not one of table, csv, json", text), "format");
}

// Savings are shown once there are any (a ledger with cache hits): a ledger without keeps the
// columns it always had.
static bool AnySaved(const std::vector<SpendRow>& rows) {
  return std::any_of(rows.begin(), rows.end(), [](const SpendRow& row) { return row.saved_nanos; });
}

std::string FormatSpend(const std::vector<SpendRow>& rows, const SpendQuery& query,
                        OutputFormat format) {
  const bool saved = AnySaved(rows);
  if (format == OutputFormat::kJson) {
    JsonOut out;
    out.Open().String("group_by", GroupByName(query));
    PutRange(out, query.range);
    out.OpenArray("rows");
    for (const SpendRow& row : rows) {
      out.Open().OptionalString("group", row.group).Int("calls", row.calls).Int("attempts",
                                                                                 row.attempts);
      PutTokens(out, row.tokens);
      out.Usd("cost_usd", row.cost_nanos).Int("unpriced_attempts", row.unpriced_attempts);
      if (saved) out.Usd("saved_usd", row.saved_nanos);
      out.Close();
    }
    out.CloseArray().Close();
    return out.Take() + "\n";
  }

  std::vector<std::string> header = {"group", "calls", "attempts"};
  header.insert(header.end(), TokenColumns().begin(), TokenColumns().end());
  header.push_back("cost_usd");
  header.push_back("unpriced_attempts");
  if (saved) header.push_back("saved_usd");
  std::vector<std::vector<std::string>> cells;
  SpendRow total;
  for (const SpendRow& row : rows) {
    std::vector<std::string> line = {
        format == OutputFormat::kCsv ? row.group.value_or("") : GroupCell(row.group),
        std::to_string(row.calls), std::to_string(row.attempts)};
    const std::vector<std::string> tokens = TokenCells(row.tokens);
    line.insert(line.end(), tokens.begin(), tokens.end());
    line.push_back(format == OutputFormat::kCsv ? pricing::FormatUsd(row.cost_nanos)
                                                : FormatUsdFixed(row.cost_nanos));
    line.push_back(std::to_string(row.unpriced_attempts));
    if (saved) {
      line.push_back(format == OutputFormat::kCsv ? pricing::FormatUsd(row.saved_nanos)
                                                  : FormatUsdFixed(row.saved_nanos));
    }
    cells.push_back(std::move(line));
    total.calls += row.calls;
    AddSaturating(total.saved_nanos, row.saved_nanos);
    total.attempts += row.attempts;
    AddUsage(total.tokens, row.tokens);
    AddSaturating(total.cost_nanos, row.cost_nanos);
    total.unpriced_attempts += row.unpriced_attempts;
  }
  if (format == OutputFormat::kCsv) return Csv(header, cells);

  header[0] = GroupByName(query);
  std::vector<std::string> total_line = {"TOTAL", std::to_string(total.calls),
                                         std::to_string(total.attempts)};
  const std::vector<std::string> tokens = TokenCells(total.tokens);
  total_line.insert(total_line.end(), tokens.begin(), tokens.end());
  total_line.push_back(FormatUsdFixed(total.cost_nanos));
  total_line.push_back(std::to_string(total.unpriced_attempts));
  if (saved) total_line.push_back(FormatUsdFixed(total.saved_nanos));
  cells.push_back(std::move(total_line));
  return Table(header, cells, 1) + UnpricedNote(total.unpriced_attempts);
}

std::string FormatReconcile(const std::vector<ReconcileRow>& rows, const TimeRange& range,
                            OutputFormat format) {
  if (format == OutputFormat::kJson) {
    JsonOut out;
    out.Open();
    PutRange(out, range);
    out.OpenArray("rows");
    for (const ReconcileRow& row : rows) {
      out.Open().String("day", row.day).String("provider", row.provider).String("model", row.model);
      out.Int("attempts", row.attempts);
      PutTokens(out, row.tokens);
      out.Usd("cost_usd", row.cost_nanos).Int("unpriced_attempts", row.unpriced_attempts).Close();
    }
    out.CloseArray().Close();
    return out.Take() + "\n";
  }

  std::vector<std::string> header = {"day", "provider", "model", "attempts"};
  header.insert(header.end(), TokenColumns().begin(), TokenColumns().end());
  header.push_back("cost_usd");
  header.push_back("unpriced_attempts");
  std::vector<std::vector<std::string>> cells;
  ReconcileRow total;
  for (const ReconcileRow& row : rows) {
    std::vector<std::string> line = {row.day, row.provider, row.model,
                                     std::to_string(row.attempts)};
    const std::vector<std::string> tokens = TokenCells(row.tokens);
    line.insert(line.end(), tokens.begin(), tokens.end());
    line.push_back(format == OutputFormat::kCsv ? pricing::FormatUsd(row.cost_nanos)
                                                : FormatUsdFixed(row.cost_nanos));
    line.push_back(std::to_string(row.unpriced_attempts));
    cells.push_back(std::move(line));
    total.attempts += row.attempts;
    AddUsage(total.tokens, row.tokens);
    AddSaturating(total.cost_nanos, row.cost_nanos);
    total.unpriced_attempts += row.unpriced_attempts;
  }
  if (format == OutputFormat::kCsv) return Csv(header, cells);

  std::vector<std::string> total_line = {"TOTAL", "", "", std::to_string(total.attempts)};
  const std::vector<std::string> tokens = TokenCells(total.tokens);
  total_line.insert(total_line.end(), tokens.begin(), tokens.end());
  total_line.push_back(FormatUsdFixed(total.cost_nanos));
  total_line.push_back(std::to_string(total.unpriced_attempts));
  cells.push_back(std::move(total_line));
  return Table(header, cells, 3) + UnpricedNote(total.unpriced_attempts);
}

std::string FormatRequestJson(const CallRow& call) {
  JsonOut out;
  out.Open()
      .String("request_id", call.request_id)
      .String("time", call.time)
      .String("key", call.key_name)
      .OptionalString("route", call.route.empty() ? std::nullopt : std::optional(call.route))
      .String("inbound", call.inbound)
      .String("requested_model", call.requested_model)
      .String("provider", call.provider)
      .String("model", call.model)
      .Int("status", call.status)
      .Bool("stream", call.stream);
  if (!call.error.empty()) out.String("error", call.error);
  out.Usd("cost_usd", call.cost_nanos)
      .Bool("estimated", call.estimated)
      .OptionalString("cache", call.cache);
  if (!call.guardrails.empty()) PutGuardrails(out, call.guardrails);
  if (!call.variant.empty()) out.String("variant", call.variant);
  if (!call.epoch.empty()) out.String("epoch", call.epoch);
  out.Int("latency_ms", call.latency_ms)
      .Raw("ttft_ms", call.ttft_ms ? std::to_string(*call.ttft_ms) : "null")
      .Raw("metadata", MetadataJson(call.metadata_json))
      .OpenArray("attempts");
  for (const AttemptRow& a : call.attempts) {
    out.Open()
        .Int("n", a.n)
        .String("kind", a.kind)
        .String("provider", a.provider)
        .String("model", a.model)
        .Raw("status", AttemptStatusJson(a))
        .String("reason", a.reason);
    PutTokens(out, a.usage);
    out.Usd("cost_usd", a.cost_nanos)
        .Bool("estimated", a.estimated)
        .Int("latency_ms", a.latency_ms)
        .Raw("ttft_ms", a.ttft_ms ? std::to_string(*a.ttft_ms) : "null");
    if (a.saved_nanos) out.Usd("saved_usd", a.saved_nanos);
    out.Close();
  }
  out.CloseArray().Close();
  return out.Take();
}

}  // namespace switchyard::ledger
