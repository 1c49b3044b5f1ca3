#include "gateway/governance_endpoints.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include <charconv>

#include "gateway/admin_answer.h"
#include "guardrails/guardrail_set.h"
#include "governance/key_admin.h"
#include "governance/policy_json.h"
#include "ledger/ledger_time.h"

namespace switchyard::gateway {
namespace {

namespace json = boost::json;
using http::Downstream;
using http::IncomingRequest;

constexpr std::string_view kKeysPath = "/admin/keys/";
constexpr std::string_view kBudgetsPath = "/admin/budgets/";
constexpr std::string_view kActor = "admin-api";

AdminAnswer JsonAnswer(int status, const json::object& body) {
  return {status, "application/json", governance::SerializeView(body)};
}

// The governance's database, or the reason there is none.
Result<ledger::GovernanceStore*> Store(const GatewayState& state) {
  ledger::GovernanceStore* store = state.keys->store();
  if (store == nullptr) {
    return Error::NotFound("virtual keys and budgets need the ledger's database, which is off");
  }
  return store;
}

// After a write: this gateway sees it at once (the others at their next poll).
void Reload(const GatewayState& state) { (void)state.keys->Reload(); }

// A key may name only guardrails the config defines (CONTRACT.md "Guardrails"): anything else is
// the admin's 400 now, not every call's later.
Status CheckGuardrails(const GatewayState& state, const json::object& fields) {
  const json::value* names = fields.if_contains("guardrails");
  if (names == nullptr || !names->is_array()) return Status();  // the policy reader says why
  for (const json::value& name : names->as_array()) {
    if (!name.is_string()) continue;
    const std::string_view text = name.as_string();
    if (state.guardrails == nullptr || state.guardrails->Find(text) == nullptr) {
      return Error::InvalidRequest(
          fmt::format("guardrails: '{}' is not defined under guardrails: in the config",
                      text.substr(0, 80)),
          "guardrails");
    }
  }
  return Status();
}

json::object CreatedView(const governance::CreatedKey& created) {
  json::object view = governance::KeyView(created.record);
  view["key"] = created.secret;
  return view;
}

AdminAnswer CreateKey(const GatewayState& state, const std::string& body) {
  auto store = Store(state);
  if (!store) return ErrorAnswer(store.error());
  auto fields = governance::ParseObject(body, "the body of POST /admin/keys");
  if (!fields) return ErrorAnswer(fields.error());
  if (Status known = CheckGuardrails(state, *fields); !known.ok()) return ErrorAnswer(known.error());
  auto created = governance::KeyAdmin(**store, std::string(kActor)).Create(*fields);
  if (!created) return ErrorAnswer(created.error());
  Reload(state);
  return JsonAnswer(201, CreatedView(*created));
}

AdminAnswer ListKeys(const GatewayState& state) {
  json::array data;
  for (const auto& [id, key] : state.keys->snapshot()->by_id) data.push_back(governance::KeyView(*key));
  return JsonAnswer(200, {{"object", "list"}, {"data", std::move(data)}});
}

AdminAnswer ShowKey(const GatewayState& state, const std::string& id,
                    std::optional<std::int64_t> spent) {
  auto snapshot = state.keys->snapshot();
  auto found = snapshot->by_id.find(id);
  if (found == snapshot->by_id.end()) {
    return ErrorAnswer(Error::NotFound(fmt::format("there is no key '{}'", id.substr(0, 80))));
  }
  return JsonAnswer(200, governance::KeyView(*found->second, spent.value_or(0)));
}

Error ConfigKeyError(const std::string& id) {
  return Error::Conflict(fmt::format("the key {} is defined in the config file: change it there",
                                     id.substr(0, 80)));
}

AdminAnswer UpdateKey(const GatewayState& state, const std::string& id, const std::string& body) {
  if (id.starts_with("config:")) return ErrorAnswer(ConfigKeyError(id));
  auto store = Store(state);
  if (!store) return ErrorAnswer(store.error());
  auto fields = governance::ParseObject(body, "the body of PATCH /admin/keys/{id}");
  if (!fields) return ErrorAnswer(fields.error());
  if (Status known = CheckGuardrails(state, *fields); !known.ok()) return ErrorAnswer(known.error());
  auto updated = governance::KeyAdmin(**store, std::string(kActor)).Update(id, *fields);
  if (!updated) return ErrorAnswer(updated.error());
  Reload(state);
  return JsonAnswer(200, governance::KeyView(*updated));
}

AdminAnswer RotateKey(const GatewayState& state, const std::string& id) {
  if (id.starts_with("config:")) return ErrorAnswer(ConfigKeyError(id));
  auto store = Store(state);
  if (!store) return ErrorAnswer(store.error());
  auto rotated = governance::KeyAdmin(**store, std::string(kActor)).Rotate(id);
  if (!rotated) return ErrorAnswer(rotated.error());
  Reload(state);
  return JsonAnswer(200, CreatedView(*rotated));
}

AdminAnswer RevokeKey(const GatewayState& state, const std::string& id) {
  if (id.starts_with("config:")) return ErrorAnswer(ConfigKeyError(id));
  auto store = Store(state);
  if (!store) return ErrorAnswer(store.error());
  auto revoked = governance::KeyAdmin(**store, std::string(kActor)).Revoke(id);
  if (!revoked) return ErrorAnswer(revoked.error());
  Reload(state);
  return JsonAnswer(200, governance::KeyView(*revoked));
}

AdminAnswer PutBudget(const GatewayState& state, const std::string& body) {
  auto store = Store(state);
  if (!store) return ErrorAnswer(store.error());
  auto fields = governance::ParseObject(body, "the body of POST /admin/budgets");
  if (!fields) return ErrorAnswer(fields.error());
  auto budget = governance::KeyAdmin(**store, std::string(kActor)).PutBudget(*fields);
  if (!budget) return ErrorAnswer(budget.error());
  Reload(state);
  return JsonAnswer(201, governance::BudgetView(*budget, /*from_config=*/false));
}

AdminAnswer DeleteBudget(const GatewayState& state, const std::string& scope) {
  auto store = Store(state);
  if (!store) return ErrorAnswer(store.error());
  Status deleted = governance::KeyAdmin(**store, std::string(kActor)).DeleteBudget(scope);
  if (!deleted.ok()) return ErrorAnswer(deleted.error());
  Reload(state);
  return JsonAnswer(200, {{"scope", scope}, {"deleted", true}});
}

json::value DocumentOrNull(const std::string& text) {
  if (text.empty()) return nullptr;
  boost::system::error_code ec;
  json::value value = json::parse(text, ec);
  return ec ? json::value(text) : value;
}

std::int64_t IntParam(std::string_view text, std::int64_t fallback, std::int64_t max) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0) return fallback;
  return std::min(value, max);
}

AdminAnswer AuditLog(const GatewayState& state, const std::string& query) {
  auto store = Store(state);
  if (!store) return ErrorAnswer(store.error());
  const std::int64_t after = IntParam(QueryParam(query, "after"), 0, INT64_MAX);
  const int limit = static_cast<int>(IntParam(QueryParam(query, "limit"), 100, 1000));
  auto entries = (*store)->Audit(after, limit);
  if (!entries) return ErrorAnswer(entries.error());
  json::array data;
  for (const ledger::AuditEntry& entry : *entries) {
    data.push_back(json::object{{"seq", entry.seq},
                                {"time", ledger::FormatIsoUtcMillis(entry.time_ms)},
                                {"actor", entry.actor},
                                {"action", entry.action},
                                {"target", entry.target},
                                {"before", DocumentOrNull(entry.before_json)},
                                {"after", DocumentOrNull(entry.after_json)}});
  }
  const std::int64_t next = entries->empty() ? after : entries->back().seq;
  return JsonAnswer(200, {{"object", "list"}, {"data", std::move(data)}, {"next_after", next}});
}

// GET /admin/keys/{id} and GET /admin/budgets read the spend on the event loop first (the
// counters may be in Redis), then answer like the others.
Task<> ShowKeyWithSpend(const GatewayState& state, IncomingRequest& request, Downstream& down,
                        std::string id) {
  std::optional<std::int64_t> spent;
  auto snapshot = state.keys->snapshot();
  auto found = snapshot->by_id.find(id);
  if (found != snapshot->by_id.end() && CheckAdminKey(request, state.config).ok()) {
    Result<std::int64_t> sum = co_await state.governor->SpentByKey(*found->second);
    if (sum) spent = *sum;
  }
  std::function<AdminAnswer()> compute = [&state, id, spent] { return ShowKey(state, id, spent); };
  co_await Authorized(state, request, down, std::move(compute));
}

Task<> ListBudgets(const GatewayState& state, IncomingRequest& request, Downstream& down) {
  auto snapshot = state.keys->snapshot();
  json::array data;
  if (CheckAdminKey(request, state.config).ok()) {
    for (const config::ScopedBudget& budget : snapshot->budgets) {
      Result<std::int64_t> spent = co_await state.governor->SpentByScope(budget);
      const bool from_config = snapshot->admin_budgets.count(budget.scope) == 0;
      data.push_back(governance::BudgetView(budget, from_config,
                                            spent ? std::optional<std::int64_t>(*spent) : std::nullopt));
    }
  }
  std::string body =
      governance::SerializeView(json::object{{"object", "list"}, {"data", std::move(data)}});
  std::function<AdminAnswer()> compute = [body] { return AdminAnswer{200, "application/json", body}; };
  co_await Authorized(state, request, down, std::move(compute));
}

// "/admin/keys/ID" → "ID"; "/admin/keys/ID/rotate" → "ID" with `action` "rotate".
std::string KeyIdOf(std::string_view path, std::string* action) {
  std::string_view rest = path.substr(kKeysPath.size());
  const std::size_t slash = rest.find('/');
  if (slash != std::string_view::npos) {
    *action = std::string(rest.substr(slash + 1));
    rest = rest.substr(0, slash);
  }
  return std::string(rest);
}

AdminAnswer NotAnEndpoint(std::string_view method, std::string_view path) {
  return ErrorAnswer(Error::NotFound(fmt::format("unknown endpoint {} {}", method, path.substr(0, 120))));
}

}  // namespace

void AddGovernanceEndpoints(http::EndpointTable& table, Worker& worker) {
  const GatewayState& state = worker.state;
  table.Add("POST", "/admin/keys", [&state](IncomingRequest& request, Downstream& down) {
    std::string body = request.body();
    return Authorized(state, request, down, [&state, body] { return CreateKey(state, body); });
  });
  table.Add("GET", "/admin/keys", [&state](IncomingRequest& request, Downstream& down) {
    return Authorized(state, request, down, [&state] { return ListKeys(state); });
  });
  table.Add("GET", "/admin/keys/*", [&state](IncomingRequest& request, Downstream& down) {
    std::string action;
    std::string id = KeyIdOf(request.path, &action);
    if (!action.empty()) {
      std::string path(request.path);
      return Authorized(state, request, down, [path] { return NotAnEndpoint("GET", path); });
    }
    return ShowKeyWithSpend(state, request, down, std::move(id));
  });
  table.Add("PATCH", "/admin/keys/*", [&state](IncomingRequest& request, Downstream& down) {
    std::string action;
    std::string id = KeyIdOf(request.path, &action);
    std::string body = request.body();
    return Authorized(state, request, down, [&state, id, body, action] {
      return action.empty() ? UpdateKey(state, id, body) : NotAnEndpoint("PATCH", id + "/" + action);
    });
  });
  table.Add("POST", "/admin/keys/*", [&state](IncomingRequest& request, Downstream& down) {
    std::string action;
    std::string id = KeyIdOf(request.path, &action);
    std::string path(request.path);
    return Authorized(state, request, down, [&state, id, action, path] {
      return action == "rotate" ? RotateKey(state, id) : NotAnEndpoint("POST", path);
    });
  });
  table.Add("DELETE", "/admin/keys/*", [&state](IncomingRequest& request, Downstream& down) {
    std::string action;
    std::string id = KeyIdOf(request.path, &action);
    std::string path(request.path);
    return Authorized(state, request, down, [&state, id, action, path] {
      return action.empty() ? RevokeKey(state, id) : NotAnEndpoint("DELETE", path);
    });
  });
  table.Add("POST", "/admin/budgets", [&state](IncomingRequest& request, Downstream& down) {
    std::string body = request.body();
    return Authorized(state, request, down, [&state, body] { return PutBudget(state, body); });
  });
  table.Add("GET", "/admin/budgets", [&state](IncomingRequest& request, Downstream& down) {
    return ListBudgets(state, request, down);
  });
  table.Add("DELETE", "/admin/budgets/*", [&state](IncomingRequest& request, Downstream& down) {
    std::string scope(request.path.substr(kBudgetsPath.size()));
    return Authorized(state, request, down, [&state, scope] { return DeleteBudget(state, scope); });
  });
  table.Add("GET", "/admin/audit", [&state](IncomingRequest& request, Downstream& down) {
    std::string query(request.query);
    return Authorized(state, request, down, [&state, query] { return AuditLog(state, query); });
  });
}

}  // namespace switchyard::gateway
