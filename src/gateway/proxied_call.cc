#include "gateway/proxied_call.h"

#include <boost/asio/steady_timer.hpp>
#include <algorithm>
#include <fmt/format.h>

#include "config/inline_route.h"
#include "core/strings.h"
#include "gateway/attempt.h"
#include "gateway/attempt_path.h"
#include "gateway/auth.h"
#include "gateway/backoff.h"
#include "gateway/call.h"
#include "gateway/client_request.h"
#include "gateway/durable_downstream.h"
#include "http/retry_after.h"
#include "gateway/retry_decision.h"
#include "gateway/routing_feedback.h"
#include "gateway/routing_features.h"
#include "inbound/inbound_codec.h"
#include "json/object_scan.h"
#include "routing/strategy.h"

namespace switchyard::gateway {
namespace {

using Clock = std::chrono::steady_clock;

class ProxiedCall {
 public:
  ProxiedCall(Worker& worker, http::IncomingRequest& request, http::Downstream& downstream,
              Endpoint endpoint)
      : worker_(worker), request_(request),
        downstream_(worker.state.strict_ledger ? durable_downstream_ : downstream),
        endpoint_(endpoint), call_(worker.state, request, *inbound::CodecFor(endpoint.dialect)),
        durable_downstream_(downstream, call_) {}

  Task<> Run() {
    auto plan = Prepare();
    if (!plan) co_return co_await call_.RespondError(downstream_, plan.error());
    co_await RunPlan(*plan);
    if (!last_ && deadline_stopped_) {  // a deadline too short for even one attempt
      co_return co_await call_.RespondError(downstream_, DeadlineError());
    }
    if (!last_) {  // a route without targets: config validation prevents it
      co_return co_await call_.RespondError(downstream_, Error::Internal("the route has no targets"));
    }
    co_await Conclude(*last_);
  }

 private:
  // Everything checked before the first attempt: the key, the body, the metadata, the model's
  // plan, and — for every target's path (gateway/attempt_path.h) — that the target can serve the
  // call and, when one translates, the request in canonical form. Errors are the client's.
  Result<routing::Plan> Prepare() {
    auto key_name = Authenticate(request_, worker_.state.config.keys);
    if (!key_name) return std::move(key_name).error();
    call_.record().key_name = std::move(key_name).value();

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
    call_.record().route = plan->route;

    client_headers_ = ForwardableHeaders(request_);
    call_request_.passthrough = {endpoint_.operation, request_.body(), &*scan_, fields->stream,
                                 fields->client_wants_stream_usage, client_headers_};
    call_request_.inbound_format = WireFormatOf(endpoint_.dialect);
    call_request_.requested_model = fields->model;
    call_request_.created = std::chrono::duration_cast<std::chrono::seconds>(
                                call_.record().time.time_since_epoch()).count();
    features_ = ReadRoutingFeatures({request_.body(), &*scan_, endpoint_.dialect, fields->model,
                                     fields->stream, call_.record().metadata_json});
    if (Status servable = PreparePaths(*plan); !servable.ok()) return servable.error();
    return plan;
  }

  // The plan for this call: the route x-switchyard-route names or describes (then the body's model
  // is not used for routing, CONTRACT.md "Route shapes"), else the body's model.
  Result<routing::Plan> ResolvePlan(std::string_view model) const {
    const GatewayState& state = worker_.state;
    const std::string_view header = TrimWhitespace(request_.header(config::kInlineRouteHeader));
    if (header.empty()) return state.resolver->Resolve(model);
    if (header.front() == '{') {
      auto route = config::ParseInlineRoute(header, state.config);
      if (!route) return std::move(route).error();
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
    for (const routing::PlannedTarget* leaf : plan.Leaves()) {
      const providers::WireFormat format = leaf->provider->adapter->wire_format();
      switch (call_request_.PathTo(format)) {
        case AttemptPath::kPassthrough:
        case AttemptPath::kTokenEstimate:
          break;
        case AttemptPath::kRefused:
          return Error::InvalidRequest(
              fmt::format("model '{}' is served by provider '{}' in the {} wire format, which has "
                          "no embeddings here",
                          call_request_.requested_model, leaf->provider->config->name,
                          providers::ToString(format)),
              "model");
        case AttemptPath::kTranslated: {
          if (call_request_.has_canonical()) break;
          auto canonical = call_.codec().DecodeRequest(request_.body());
          if (!canonical) return std::move(canonical).error();
          canonical->headers = client_headers_;
          call_request_.set_canonical(std::move(canonical).value());
          break;
        }
      }
    }
    return Status();
  }

  // Runs a plan's steps by its strategy until the call is decided (an answer, a commit, a fatal
  // error, a departed client) or every step has failed. A nested route runs as one step. The plan's
  // deadline (counted from the call's arrival) holds while it runs, unless an outer one is sooner.
  Task<> RunPlan(const routing::Plan& plan) {
    const std::optional<Clock::time_point> outer_deadline = deadline_;
    const config::Millis outer_deadline_ms = deadline_ms_;
    if (plan.retry.deadline && (!deadline_ || start_ + *plan.retry.deadline < *deadline_)) {
      deadline_ = start_ + *plan.retry.deadline;
      deadline_ms_ = *plan.retry.deadline;
    }
    const std::vector<std::size_t> order = StepOrder(plan);
    for (std::size_t i = 0; i < order.size() && !decided_; ++i) {
      const routing::PlanStep& step = plan.steps[order[i]];
      if (step.route) {
        co_await RunPlan(*step.route);
      } else if (FitsWindow(step.target)) {
        co_await RunTarget(step.target, plan.retry);
      }
    }
    deadline_ = outer_deadline;
    deadline_ms_ = outer_deadline_ms;
  }

  // The order the plan's strategy picks for this call (routing/strategy.h).
  std::vector<std::size_t> StepOrder(const routing::Plan& plan) {
    const GatewayState& state = worker_.state;
    routing::RoutingContext context;
    context.rng = &worker_.rng;
    context.health = state.config.health.enabled ? &state.health : nullptr;
    context.latency = &state.latency;
    context.catalog = state.catalog;
    context.now = std::chrono::steady_clock::now();
    context.request_time = call_.record().time;
    return routing::OrderSteps(plan, features_, context);
  }

  // Tries one target, retrying as the policy allows, while the call's deadline leaves time.
  Task<> RunTarget(const routing::PlannedTarget& target, const config::RetryPolicy& retry) {
    for (int try_index = 0; try_index < retry.attempts && !decided_; ++try_index) {
      if (try_index > 0) {
        const std::chrono::milliseconds wait =
            RetryBackoff(try_index - 1, last_ ? ProviderWait(*last_) : std::nullopt, worker_.rng);
        if (deadline_ && Clock::now() + wait >= *deadline_) break;  // it could not start in time
        co_await Sleep(wait);
      }
      const std::optional<std::chrono::milliseconds> time_left = TimeLeft();
      if (time_left && time_left->count() <= 0) {
        deadline_stopped_ = true;
        break;
      }
      const std::size_t done = call_.record().attempts.size();
      AttemptInput input{&call_request_, &target, ApiKeyFor(request_, target),
                         static_cast<int>(done) + 1,
                         try_index > 0 ? ledger::AttemptKind::kRetry
                         : done > 0    ? ledger::AttemptKind::kFallback
                                       : ledger::AttemptKind::kPrimary,
                         time_left};
      const std::string key = routing::TargetKey(target);
      // An attempt answered by the gateway itself says nothing of the target's health or speed.
      const bool upstream =
          call_request_.PathTo(target.provider->adapter->wire_format()) !=
          AttemptPath::kTokenEstimate;
      if (upstream && worker_.state.config.health.enabled) {
        worker_.state.health.BeginAttempt(key, std::chrono::steady_clock::now());
      }
      last_ = co_await RunAttempt(worker_, call_, downstream_, input);
      NoteDeadlineCut(*last_);
      if (upstream) ReportOutcome(worker_.state, key, *last_, call_request_.passthrough.stream);
      call_.record().attempts.push_back(last_->record);
      decided_ = !last_->error || last_->committed || downstream_.client_gone() ||
                 (last_->error_class == providers::ErrorClass::kFatal &&
                  !MovesOnToLargerWindow(target, *last_));
      if (!decided_ && !ShouldRetry(*last_, retry)) break;
    }
  }

  // The time left before the call's deadline; nullopt when there is none.
  std::optional<std::chrono::milliseconds> TimeLeft() const {
    if (!deadline_) return std::nullopt;
    return std::chrono::duration_cast<std::chrono::milliseconds>(*deadline_ - Clock::now());
  }

  Error DeadlineError() const {
    return Error::UpstreamTimeout(fmt::format(
        "the route's deadline_ms ({} ms) passed before the provider answered", deadline_ms_.count()));
  }

  // An attempt that timed out once the call's deadline had passed was cut by that deadline (its
  // total was capped to the time left): say so, rather than name the provider's total_ms.
  void NoteDeadlineCut(AttemptResult& result) const {
    const std::optional<std::chrono::milliseconds> left = TimeLeft();
    if (!left || left->count() > 0 || result.committed || !result.error ||
        result.error->kind != ErrorKind::kUpstreamTimeout) {
      return;
    }
    result.error = DeadlineError();
    result.record.reason = result.error->message;
  }

  // After a context-length error (fatal otherwise), fallback may move on, but only to targets whose
  // catalog window is larger than this one's (FitsWindow); not when this one's window is unknown.
  bool MovesOnToLargerWindow(const routing::PlannedTarget& target, const AttemptResult& result) {
    if (!result.context_length) return false;
    const std::optional<std::int64_t> window =
        routing::ContextWindowOf(worker_.state.catalog, target);
    if (!window) return false;
    window_floor_ = std::max(window_floor_.value_or(0), *window);
    return true;
  }

  // Whether a target may still be tried: after a context-length error, only with a known window
  // larger than every window that was too small.
  bool FitsWindow(const routing::PlannedTarget& target) const {
    if (!window_floor_) return true;
    const std::optional<std::int64_t> window =
        routing::ContextWindowOf(worker_.state.catalog, target);
    return window && *window > *window_floor_;
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

  Task<> Sleep(std::chrono::milliseconds wait) {
    net::steady_timer timer(worker_.io, wait);
    co_await timer.async_wait(kUseTuple);
  }

  Worker& worker_;
  http::IncomingRequest& request_;
  http::Downstream& downstream_;  // the client's, or durable_downstream_ with a strict ledger
  const Endpoint endpoint_;
  Call call_;
  DurableDownstream durable_downstream_;  // constructed after call_, which it records
  std::optional<json::ObjectScan> scan_;
  std::vector<std::pair<std::string, std::string>> client_headers_;
  CallRequest call_request_;
  routing::RequestFeatures features_;
  std::optional<AttemptResult> last_;  // the latest attempt's result
  bool decided_ = false;               // the call's outcome is settled: no further attempts
  const Clock::time_point start_ = Clock::now();  // when the call arrived, for deadlines
  std::optional<Clock::time_point> deadline_;     // the running plan's deadline; none: no limit
  config::Millis deadline_ms_{0};                 // that deadline as configured, for messages
  bool deadline_stopped_ = false;                 // the deadline kept an attempt from starting
  std::optional<std::int64_t> window_floor_;      // context windows this far proved too small
};

}  // namespace

Task<> HandleProxiedCall(Worker& worker, http::IncomingRequest& request,
                         http::Downstream& downstream, Endpoint endpoint) {
  ProxiedCall call(worker, request, downstream, endpoint);
  co_await call.Run();
}

}  // namespace switchyard::gateway
