#include "gateway/proxied_call.h"

#include <fmt/format.h>

#include <algorithm>

#include "config/inline_route.h"
#include "core/strings.h"
#include "gateway/attempt.h"
#include "gateway/attempt_path.h"
#include "gateway/auth.h"
#include "gateway/call.h"
#include "gateway/call_attempts.h"
#include "gateway/call_cache.h"
#include "gateway/call_experiment.h"
#include "gateway/call_guards.h"
#include "gateway/client_request.h"
#include "gateway/durable_downstream.h"
#include "http/retry_after.h"
#include "gateway/routing_features.h"
#include "inbound/inbound_codec.h"
#include "json/object_scan.h"
#include "routing/cost_cap.h"
#include "routing/router.h"
#include "routing/router_clock.h"

namespace switchyard::gateway {
namespace {

// Racing attempts end in any order; the record lists them in the order they started.
void SortAttempts(ledger::CallRecord& record) {
  std::stable_sort(record.attempts.begin(), record.attempts.end(),
                   [](const ledger::AttemptRecord& a, const ledger::AttemptRecord& b) {
                     return a.n < b.n;
                   });
}

bool EveryAttemptTimedOut(const ledger::CallRecord& record) {
  return std::all_of(record.attempts.begin(), record.attempts.end(),
                     [](const ledger::AttemptRecord& attempt) {
                       return attempt.outcome == ledger::AttemptOutcome::kTimeout;
                     });
}

// x-switchyard-race: "provider/model: reason" per attempt, in the order they started, then the
// targets the cost cap kept from starting. Each reason is cut short; the header is bounded.
std::string RaceReasons(const ledger::CallRecord& record, const routing::RouterVerdict& verdict) {
  constexpr std::size_t kMaxReason = 160;
  constexpr std::size_t kMaxHeader = 2048;
  std::string out;
  auto add = [&out](std::string_view target, std::string_view reason) {
    std::string item = fmt::format("{}{}: {}", out.empty() ? "" : "; ", target,
                                   reason.substr(0, kMaxReason));
    if (out.size() + item.size() <= kMaxHeader) out += item;
  };
  for (const ledger::AttemptRecord& attempt : record.attempts) {
    const std::string target = attempt.provider + "/" + attempt.model;
    add(target, attempt.reason.empty() ? ToString(attempt.outcome) : attempt.reason);
  }
  for (const std::string& target : verdict.over_cost_cap) {
    add(target, "not started: its worst-case cost would pass max_cost_usd");
  }
  return out;
}

class ProxiedCall {
 public:
  ProxiedCall(Worker& worker, http::IncomingRequest& request, http::Downstream& downstream,
              Endpoint endpoint)
      : worker_(worker), request_(request),
        endpoint_(endpoint), call_(worker.state, request, *inbound::CodecFor(endpoint.dialect)),
        downstream_(downstream, call_),
        attempts_(worker, call_, downstream_, request, call_request_) {}

  // GCC 12 false positive on this coroutine's frame (as in call_attempts.cc): it pairs Asio's
  // frame operator new with its sized operator delete and reports them mismatched.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
  Task<> Run() {
    auto plan = Prepare();
    if (!plan) co_return co_await call_.RespondError(downstream_, plan.error());
    // The input's webhook guardrails, after its built-in ones (Prepare), and then the cache's
    // keys, of the request as the guardrails left it.
    Status guarded;
    if (guards_.asks_outside()) {
      guarded = co_await guards_.AskExternal(call_request_, attempts_.watch());
    }
    if (guarded.ok()) guarded = cache_.Prepare(**plan, *key_, call_request_);
    if (!guarded.ok()) co_return co_await call_.RespondError(downstream_, guarded.error());
    // An identical request's answer needs no provider and costs nothing: only the key's rate
    // limits apply to it (CONTRACT.md "Cache").
    const bool exact_hit = co_await cache_.LookupExact();
    std::optional<governance::Refusal> refused = co_await Admit(**plan, exact_hit);
    if (refused) {
      call_.record().refused_by = refused->reason;
      co_return co_await call_.RespondError(downstream_, refused->error,
                                            std::move(refused->headers));
    }
    if (exact_hit || co_await cache_.LookupSemantic()) co_return co_await AnswerFromCache();
    cache_.CountMiss();
    attempts_.set_attempts_before(static_cast<int>(call_.record().attempts.size()));
    const routing::RouterVerdict verdict = co_await RunPlan(**plan);
    co_await attempts_.StopWatching();  // every attempt has ended: no write is in flight
    SortAttempts(call_.record());
    call_.MergeSideAttempts();  // the output judges', numbered after the router's
    // Settled before the answer's last byte when an attempt answered (Admit); else here, before
    // the error goes out.
    call_.set_settle_before_last_byte(nullptr);
    co_await worker_.state.governor->Settle(admission_, call_.record());
    const std::optional<AttemptResult>& result = attempts_.conclusive();
    if (!result && verdict.deadline_stopped) {  // a deadline too short for even one attempt
      co_return co_await call_.RespondError(downstream_, routing::DeadlineError(verdict.deadline));
    }
    if (!result) {  // a route without targets: config validation prevents it
      co_return co_await call_.RespondError(downstream_, Error::Internal("the route has no targets"));
    }
    if (!result->committed && (*plan)->launch.mode != routing::LaunchMode::kSequential &&
        !downstream_.client_gone()) {
      co_return co_await ConcludeRace(*result, verdict);
    }
    co_await Conclude(*result);
    co_await cache_.Store(*result);  // after the client has its answer
    // Recorded before its experiment's judging starts, whose attempts the ledger adds to it.
    call_.Finish();
    experiment_.AfterAnswer(*result, call_request_);
  }
#pragma GCC diagnostic pop

 private:
  // Everything checked before the first attempt but the input's webhooks and the cache (Run): the
  // key, the body, the metadata, the model's plan, the input's built-in guardrails, and — for
  // every target's path (gateway/attempt_path.h) — that the target can serve the call and, when
  // one translates, the request in canonical form. Errors are the client's.
  Result<std::shared_ptr<const routing::Plan>> Prepare() {
    auto key = worker_.state.governor->Authenticate(PresentedKey(request_));
    if (!key) return std::move(key).error();
    key_ = std::move(key).value();
    call_.record().key_name = key_->name;
    call_.record().key_id = key_->id;
    call_.record().team = key_->policy.team;

    auto scan = json::ScanObject(request_.body());
    if (!scan) return std::move(scan).error();
    scan_ = std::move(scan).value();
    auto fields = ReadFields(request_.body(), *scan_, endpoint_.operation);
    if (!fields) return std::move(fields).error();
    call_.record().requested_model = fields->model;
    call_.record().stream = fields->stream;
    if (Status metadata = ReadMetadata(request_, call_.record()); !metadata.ok()) {
      return metadata.error();
    }
    auto plan = ResolvePlan(fields->model);
    if (!plan) return plan;
    call_.record().route = (*plan)->route;
    if (Status allowed = CheckModels(**plan, fields->model); !allowed.ok()) return allowed.error();

    client_headers_ = ForwardableHeaders(request_);
    call_request_.passthrough = {endpoint_.operation, request_.body(), &*scan_, fields->stream,
                                 fields->client_wants_stream_usage, client_headers_};
    call_request_.inbound_format = endpoint_.dialect;
    call_request_.requested_model = fields->model;
    call_request_.created = std::chrono::duration_cast<std::chrono::seconds>(
                                call_.record().time.time_since_epoch()).count();
    features_ = ReadRoutingFeatures({request_.body(), &*scan_, endpoint_.dialect, fields->model,
                                     fields->stream, call_.record().metadata_json});
    attempts_.set_input_estimate(features_.input_tokens);
    if (Status guarded = guards_.Prepare(RouteGuardrails(**plan), *key_, call_request_);
        !guarded.ok()) {
      return guarded.error();
    }
    experiment_.Assign(*plan, *key_, features_, call_request_);
    if (experiment_.sampled()) {  // its judge reads the request in canonical form
      if (Status decoded = DecodeCanonical(); !decoded.ok()) return decoded.error();
    }
    if (Status servable = PreparePaths(**plan); !servable.ok()) return servable.error();
    if (Status checks = attempts_.PrepareChecks(**plan); !checks.ok()) return checks.error();
    return plan;
  }

  // A hit: the stored answer in the client's API and mode; the admission settled with what the
  // call spent (a semantic lookup's embedding; else nothing) before the answer's last byte.
  Task<> AnswerFromCache() {
    // The stored answer may be any variant's: the call is not part of its route's experiment.
    call_.record().variant.clear();
    call_.record().epoch.clear();
    co_await cache_.Replay(downstream_, call_request_);
    co_await worker_.state.governor->Settle(admission_, call_.record());  // if Replay did not
  }

  // Whether the key may reach the route or model the call asked for (a 403 otherwise): the route's
  // name, else the model as the body named it, or every target the plan may reach.
  Status CheckModels(const routing::Plan& plan, std::string_view model) {
    std::vector<std::string> targets;
    for (const routing::PlannedTarget* target : plan.Leaves()) targets.push_back(target->key);
    const std::string_view requested = plan.route.empty() ? model : std::string_view(plan.route);
    std::optional<governance::Refusal> refused =
        worker_.state.governor->CheckModels(*key_, requested, targets);
    if (!refused) return Status();
    call_.record().refused_by = refused->reason;
    return refused->error;
  }

  // The governance's admission (governance/governor.h): the key's rate limits and budgets,
  // before any upstream call. A count_tokens call and an exact cache hit cost nothing.
  Task<std::optional<governance::Refusal>> Admit(const routing::Plan& plan, bool cached) {
    const GatewayState& state = worker_.state;
    governance::CallAsk ask;
    ask.requested = plan.route.empty() ? call_request_.requested_model : plan.route;
    ask.input_tokens = features_.input_tokens;
    // Priced only when a budget could apply: a call without one costs no catalog lookups here.
    routing::CallWorstCase worst;
    if (!cached && state.governor->MayReserve(*key_)) {
      worst = routing::WorstCaseOfCall(plan, features_, state.catalog, call_.record().time,
                                       state.config.routing.max_parallel_attempts);
    }
    const bool free = cached || endpoint_.operation == providers::Operation::kCountTokens;
    ask.worst_nanos = free ? std::optional<std::int64_t>(0) : worst.nanos;
    ask.free = free || worst.free;
    std::variant<governance::Admission, governance::Refusal> admitted =
        co_await state.governor->Admit(key_, std::move(ask));
    if (auto* refusal = std::get_if<governance::Refusal>(&admitted)) co_return std::move(*refusal);
    admission_ = std::move(std::get<governance::Admission>(admitted));
    call_.record().budget_alert = admission_.budget_alert();
    call_.AddAnswerHeaders(admission_.rate_headers());
    // The key's next call may follow as soon as this one's answer ends: it must be admitted
    // against what this call spent, so the settlement comes before the answer's last byte.
    if (admission_.settling_counts()) {
      call_.set_settle_before_last_byte([this](const ledger::CallRecord& record) {
        return worker_.state.governor->Settle(admission_, record);
      });
    }
    co_return std::nullopt;
  }

  // The plan for this call: the route x-switchyard-route names or describes (then the body's model
  // is not used for routing, CONTRACT.md "Route shapes"), else the body's model.
  Result<std::shared_ptr<const routing::Plan>> ResolvePlan(std::string_view model) {
    const GatewayState& state = worker_.state;
    const std::string_view header = TrimWhitespace(request_.header(config::kInlineRouteHeader));
    if (header.empty()) return state.resolver->Resolve(model);
    if (header.front() == '{') {
      auto route = config::ParseInlineRoute(header, state.config);
      if (!route) return std::move(route).error();
      inline_route_guardrails_ = route->guardrails;
      return state.resolver->ResolveRoute(*route);
    }
    if (const config::RouteConfig* route = state.config.FindRoute(header)) {
      return state.resolver->ResolveRoute(*route);
    }
    return Error::InvalidRequest(
        fmt::format("{}: '{}' is not a configured route (give a route's name or an inline route "
                    "as a JSON object)",
                    config::kInlineRouteHeader, header.substr(0, 200)),
        std::string(config::kInlineRouteHeader));
  }

  // Asks every target of the plan how an attempt there would serve the call — the same question
  // RunAttempt asks for the target it runs at — whatever order routing later picks: a target that
  // cannot serve it is the client's error (400), and so is a request that cannot be translated,
  // decoded into the canonical model once, up front, when any target translates. Not a reason to
  // fail over.
  Status PreparePaths(const routing::Plan& plan) {
    auto paths = PathsOfPlan(plan, call_request_.passthrough.operation,
                             call_request_.inbound_format, call_request_.requested_model,
                             call_request_.through_canonical);
    if (!paths) return std::move(paths).error();
    if (!paths->translates) return Status();
    return DecodeCanonical();
  }

  // The request in canonical form, once per call (the input guardrails may have decoded it).
  Status DecodeCanonical() {
    if (call_request_.has_canonical()) return Status();
    auto canonical = call_.codec().DecodeRequest(request_.body());
    if (!canonical) return std::move(canonical).error();
    canonical->headers = client_headers_;
    call_request_.set_canonical(std::move(canonical).value());
    return Status();
  }

  // The guardrails the call's route attaches: an inline route's, else the configured route's.
  std::span<const std::string> RouteGuardrails(const routing::Plan& plan) const {
    if (inline_route_guardrails_) return *inline_route_guardrails_;
    const config::RouteConfig* route =
        plan.route.empty() ? nullptr : worker_.state.config.FindRoute(plan.route);
    return route != nullptr ? std::span<const std::string>(route->guardrails)
                            : std::span<const std::string>();
  }

  // Runs the plan (routing/router.h): the router picks targets and retries, and CallAttempts runs
  // each attempt it orders.
  Task<routing::RouterVerdict> RunPlan(const routing::Plan& plan) {
    const GatewayState& state = worker_.state;
    routing::RouterEnvironment environment;
    environment.runner = &attempts_;
    environment.clock = &clock_;
    environment.rng = &worker_.rng;
    environment.feedback = {state.config.health.enabled ? &state.health : nullptr, &state.latency};
    environment.catalog = state.catalog;
    environment.features = features_;
    environment.request_time = call_.record().time;
    environment.stream = call_request_.passthrough.stream;
    environment.arrival = call_.start();
    environment.max_parallel_attempts = state.config.routing.max_parallel_attempts;
    routing::Router router(std::move(environment));
    co_return co_await router.Run(plan);
  }

  Task<> Conclude(const AttemptResult& last) {
    ledger::CallRecord& record = call_.record();
    record.provider = last.record.provider;
    record.model = last.record.model;
    record.ttft_ms = last.record.ttft_ms;
    if (downstream_.client_gone()) {
      record.status = 499;
      record.error = "the client went away";
      co_return;
    }
    if (last.committed) {
      record.status = 200;
      if (last.error) record.error = last.error->message;
      co_return;
    }
    http::HeaderList extra;
    // Parsed and written anew: the provider's raw header never reaches the client.
    if (auto retry_after = http::RetryAfterForClient(last.retry_after)) {
      extra.emplace_back("retry-after", std::move(retry_after).value());
    }
    // An attempt that neither committed nor failed would be a bug: answer it as one, not with UB.
    const Error error =
        last.error.value_or(Error::Internal("the attempt ended without an answer or an error"));
    co_await call_.RespondError(downstream_, error, std::move(extra));
  }

  // A race or hedge that no attempt answered: 502 (CONTRACT.md), unless the request itself was
  // refused (the provider's 4xx stands) or every attempt ran out of time (the timeout stands); in
  // every case with x-switchyard-race giving each target's reason, and no SDK retry on top.
  Task<> ConcludeRace(const AttemptResult& last, const routing::RouterVerdict& verdict) {
    ledger::CallRecord& record = call_.record();
    record.provider = last.record.provider;
    record.model = last.record.model;
    Error error = last.error.value_or(Error::Internal("the attempt ended without an answer"));
    const bool request_refused = last.error_class == providers::ErrorClass::kFatal &&
                                 error.kind == ErrorKind::kUpstreamStatus;
    if (!request_refused && !EveryAttemptTimedOut(record)) {
      error = Error::UpstreamProtocol(fmt::format(
          "no target of route '{}' gave an acceptable answer (x-switchyard-race says why)",
          record.route));
    }
    http::HeaderList extra;
    extra.emplace_back("x-switchyard-race", RaceReasons(record, verdict));
    if (record.attempts.size() <= 1) extra.emplace_back("x-should-retry", "false");
    co_await call_.RespondError(downstream_, error, std::move(extra));
  }

  Worker& worker_;
  http::IncomingRequest& request_;
  const Endpoint endpoint_;
  Call call_;
  DurableDownstream downstream_;  // the client's; after call_, which it settles and records
  std::optional<json::ObjectScan> scan_;
  std::vector<std::pair<std::string, std::string>> client_headers_;
  CallRequest call_request_;
  routing::RequestFeatures features_;
  CallAttempts attempts_;  // constructed after call_request_, which it reads
  CallCache cache_{worker_, call_, request_};
  routing::SteadyRouterClock clock_;
  std::shared_ptr<const governance::KeyRecord> key_;
  governance::Admission admission_;  // settled after the last attempt, released if never
  CallGuards guards_{worker_, call_};
  CallExperiment experiment_{worker_, call_};
  std::optional<std::vector<std::string>> inline_route_guardrails_;  // an inline route's names
};

}  // namespace

Task<> HandleProxiedCall(Worker& worker, http::IncomingRequest& request,
                         http::Downstream& downstream, Endpoint endpoint) {
  ProxiedCall call(worker, request, downstream, endpoint);
  co_await call.Run();
}

}  // namespace switchyard::gateway
