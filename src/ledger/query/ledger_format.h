// Ledger formatting: spend and reconciliation rows as an aligned table, CSV or JSON, a request with
// its attempts as the JSON of `GET /admin/requests/{id}`, and dollars from integer nano-dollars.
// Dollar amounts are exact: decimal text built from the integer, never through a double, and written
// into JSON as numbers with at most 9 decimals (CONTRACT.md). Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "ledger/query/ledger_store.h"
#include "ledger/query/spend_query.h"

namespace switchyard::ledger {

// Dollars with trailing zeros dropped are pricing::FormatUsd (pricing/money.h).
// Dollars, exact, always with 9 decimals (for aligned columns): 1234 → "0.000001234", 0 →
// "0.000000000".
std::string FormatUsdFixed(std::int64_t nanos);

enum class OutputFormat { kTable, kCsv, kJson };
// "table" | "csv" | "json"; an InvalidRequest error naming the choices otherwise.
Result<OutputFormat> ParseOutputFormat(std::string_view text);

// Spend rows (CONTRACT.md "GET /admin/spend"):
//   JSON  {"group_by":"model","since":ISO|null,"until":ISO|null,"rows":[{"group","calls","attempts",
//          "input_tokens","cached_input_tokens","cache_write_tokens","cache_write_1h_tokens",
//          "output_tokens","reasoning_tokens","cost_usd","unpriced_attempts"}]}
//          ("group" is null for calls without the attribute);
//   CSV   a header line with those row names, then one line per row;
//   table aligned columns, a TOTAL line, and a note when some attempts had no known price.
// Every format ends with a newline.
std::string FormatSpend(const std::vector<SpendRow>& rows, const SpendQuery& query,
                        OutputFormat format);

// Reconciliation rows: day, provider, model, attempts, the six token classes, cost_usd,
// unpriced_attempts; JSON as {"since","until","rows":[...]}. Ends with a newline.
std::string FormatReconcile(const std::vector<ReconcileRow>& rows, const TimeRange& range,
                            OutputFormat format);

// The body of `GET /admin/requests/{id}` (CONTRACT.md): an attempt's "status" is its HTTP code, or
// timeout | connect_error | cancelled | stream_error when the attempt ended without one (or broke
// off after it); "cost_usd" is null when the price is unknown; "guardrails", and an `ab` call's
// "variant" and "epoch", appear only when set. No trailing newline.
std::string FormatRequestJson(const CallRow& call);

}  // namespace switchyard::ledger
