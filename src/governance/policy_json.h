// The JSON form of keys and budgets: what the admin API takes (POST/PATCH /admin/keys,
// POST /admin/budgets), what the ledger stores (the `policy` column) and what the admin API shows.
// One reader for the input and the stored document, so that both accept the same fields the same
// way; an unknown field is an error naming it, never dropped.
//
//   { name, team?, tags?: {k: v}, models?: [..], budget?: { usd, period, mode } | null,
//     limits?: { rpm?, input_tpm?, output_tpm? } | null, expires_at?: RFC 3339 | null }
//
// `usd` is a JSON number or a decimal string ("10.05", read exactly); numbers are exact up to
// nine decimals for any budget below $9,000,000.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>

#include "config/governance_config.h"
#include "core/result.h"
#include "governance/key_record.h"

namespace switchyard::governance {

// Applies the fields present in `fields` to `name` and `policy` (a PATCH leaves the others);
// `require_name` for a new key.
Status ApplyKeyFields(const boost::json::object& fields, bool require_name, std::string* name,
                      config::KeyPolicy* policy);

// The stored document of a key's policy (and name).
std::string PolicyDocument(const std::string& name, const config::KeyPolicy& policy);

// A key as the admin API shows it: never the secret. `spent_nanos`: this period's spend (shown by
// GET /admin/keys/{id}).
boost::json::object KeyView(const KeyRecord& key, std::optional<std::int64_t> spent_nanos = {});

// `{ scope, usd, period, mode }` of POST /admin/budgets; and the stored document of one.
Result<config::ScopedBudget> ReadScopedBudget(const boost::json::object& fields);
std::string BudgetDocument(const config::BudgetLimit& limit);
Result<config::BudgetLimit> ReadBudgetDocument(const std::string& text);
boost::json::object BudgetView(const config::ScopedBudget& budget, bool from_config,
                               std::optional<std::int64_t> spent_nanos = {});

// Serializes a view, its money (usd, spent_usd) as exact decimal numbers ("0.35", never 3.5E-1).
std::string SerializeView(const boost::json::value& view);

// Parses `text` as a JSON object, or a 400 naming `what`.
Result<boost::json::object> ParseObject(std::string_view text, std::string_view what);

}  // namespace switchyard::governance
