#include "gateway/call_cache.h"

#include <fmt/format.h>

#include "cache/response_cache.h"
#include "canonical/response_events.h"
#include "gateway/attempt_price.h"
#include "gateway/embedding_attempt.h"
#include "inbound/inbound_codec.h"
#include "pricing/money.h"

namespace switchyard::gateway {
namespace {

// The cache's key names the model as the client named it: a route's name, else the one target a
// model resolved to (provider/model, after alias resolution), else the name as written.
std::string NamedModel(const routing::Plan& plan, std::string_view requested) {
  if (!plan.route.empty()) return plan.route;
  const auto leaves = plan.Leaves();
  if (leaves.size() == 1) return leaves.front()->key;
  return std::string(requested);
}

// Chat Completions and Messages are one operation: a chat call in either client API.
bool IsChat(providers::Operation operation) {
  return operation == providers::Operation::kChatCompletions;
}

}  // namespace

Status CallCache::Prepare(const routing::Plan& plan, const governance::KeyRecord& key,
                          CallRequest& call_request) {
  const cache::ResponseCache* cache = worker_.state.cache.get();
  const cache::CacheHeaders headers{request_.header(cache::kCacheHeader),
                                    request_.header(cache::kCacheTtlHeader),
                                    request_.header(cache::kCacheThresholdHeader)};
  const config::RouteConfig* route =
      plan.route.empty() ? nullptr : worker_.state.config.FindRoute(plan.route);
  if (cache == nullptr || !IsChat(call_request.passthrough.operation)) {
    if (!headers.mode.empty() && headers.mode != "off") {
      return Error::InvalidRequest(
          fmt::format("{}: only chat calls (/v1/chat/completions, /v1/messages) are cached",
                      cache::kCacheHeader),
          std::string(cache::kCacheHeader));
    }
    return Status();
  }
  auto policy = cache::DecideCachePolicy(headers, route ? &route->cache : nullptr, cache->config());
  if (!policy) return std::move(policy).error();
  if (!*policy) return Status();
  // The key is the request's canonical form. A same-format call that the canonical model cannot
  // hold (a field it has no place for) still runs, uncached, saying why.
  if (!call_request.has_canonical()) {
    auto canonical = call_.codec().DecodeRequest(call_request.passthrough.body);
    if (!canonical) return NotCached("the request has no canonical form: " +
                                     canonical.error().message);
    call_request.set_canonical(std::move(canonical).value());
  }
  const canonical::ChatRequest& canonical = **call_request.Canonical();
  if (std::string why = cache::NotCacheable(canonical); !why.empty()) return NotCached(why);
  policy_ = *policy;
  std::string scope = policy_->scope == config::CacheScope::kShared ? "shared" : "key:" + key.id;
  // A hit is an answer that passed these same output guardrails unchanged (Store), so a call
  // whose output guardrails differ never reads it.
  if (call_request.guardrails != nullptr) {
    for (const guardrails::Guardrail* guardrail : call_request.guardrails->output) {
      scope += "|guardrail:" + guardrail->config.name;
      output_guardrails_.push_back(guardrail->config.name + ":");
    }
  }
  keys_ = cache::KeysOf(canonical, NamedModel(plan, call_request.requested_model), scope,
                        policy_->semantic ? &cache->config().semantic : nullptr);
  call_request.capture_bytes = cache->config().max_entry_bytes;
  Outcome(policy_->refresh ? "refresh" : "miss");
  return Status();
}

Status CallCache::NotCached(std::string why) {
  Outcome("off");
  call_.AddAnswerHeaders({{"x-switchyard-cache-reason", why.substr(0, 300)}});
  return Status();
}

void CallCache::Outcome(std::string outcome) { call_.record().cache = std::move(outcome); }

// Whether an output guardrail of the call fired ("name:action" in the record's list, after the
// input's): what the client got then differs from the answer the attempt kept.
bool CallCache::OutputGuardrailFired() const {
  const std::string fired = "," + call_.record().guardrails;
  for (const std::string& name : output_guardrails_) {
    if (fired.find("," + name) != std::string::npos) return true;
  }
  return false;
}

int CallCache::NextAttemptNumber() const {
  return static_cast<int>(call_.record().attempts.size()) + 1;
}

void CallCache::CountMiss() {
  if (policy_ && policy_->read) worker_.state.cache->CountMiss();
}

Task<bool> CallCache::LookupExact() {
  if (!policy_ || !policy_->read) co_return false;
  entry_ = co_await worker_.state.cache->Find(keys_.exact);
  co_return entry_.has_value();
}

// The request's last question embedded (an attempt of the call), then the nearest stored one of
// its partition. An embedding that fails leaves the call uncached, never failed.
Task<bool> CallCache::LookupSemantic() {
  cache::ResponseCache& cache = *worker_.state.cache;
  const routing::PlannedTarget* embedder = worker_.state.embedding_target;
  if (!policy_ || !policy_->semantic || !keys_.partition || embedder == nullptr) co_return false;
  EmbeddingOutcome embedded =
      co_await RunEmbeddingAttempt(worker_, request_, *embedder, keys_.embed_text,
                                   NextAttemptNumber(), call_.record().time);
  call_.record().attempts.push_back(std::move(embedded.record));
  if (!embedded.vector) co_return false;
  vector_ = std::move(*embedded.vector);
  if (!policy_->read) co_return false;
  std::optional<cache::semantic::Match> match =
      cache.Nearest(*keys_.partition, vector_, policy_->threshold);
  if (!match) co_return false;
  entry_ = co_await cache.Find(match->entry);
  if (!entry_) co_return false;
  similarity_ = match->similarity;
  co_return true;
}

Task<> CallCache::Replay(http::Downstream& downstream, const CallRequest& call_request) {
  cache::CacheEntry& entry = *entry_;
  ledger::CallRecord& record = call_.record();
  ledger::AttemptRecord attempt;
  attempt.n = NextAttemptNumber();
  attempt.kind = ledger::AttemptKind::kCache;
  attempt.provider = entry.provider;
  attempt.model = entry.model;
  attempt.http_status = 200;
  attempt.cost_nanos = 0;
  attempt.saved_nanos = entry.cost_nanos;
  attempt.reason = similarity_ ? fmt::format("semantic hit (similarity {:.4f}) of the answer "
                                             "{} wrote",
                                             *similarity_, entry.request_id)
                               : fmt::format("exact hit of the answer {} wrote", entry.request_id);
  record.attempts.push_back(attempt);
  record.provider = entry.provider;
  record.model = entry.model;
  record.status = 200;
  Outcome(similarity_ ? "semantic-hit" : "hit");
  worker_.state.cache->CountHit(similarity_.has_value(), entry.cost_nanos);

  canonical::ChatResponse& response = entry.response;
  response.created = call_request.created;
  http::HeaderList headers = call_.ResponseHeaders(record.attempts.size());
  if (similarity_) {
    headers.emplace_back(cache::kCacheSimilarityHeader, fmt::format("{:.4f}", *similarity_));
  }
  const std::optional<std::int64_t> cost = record.TotalCostNanos();  // an embedding's, or 0
  if (!call_request.passthrough.stream) {
    headers.emplace_back("Content-Type", "application/json");
    headers.emplace_back("x-switchyard-cost-usd", cost ? pricing::FormatUsd(*cost) : "null");
    co_await downstream.Respond(200, std::move(headers), call_.codec().EncodeResponse(response));
    co_return;
  }
  inbound::StreamEncoderOptions options;
  options.model = response.model;
  options.id = response.id.empty() ? call_.request_id() : response.id;
  options.created = response.created;
  options.include_usage = call_request.passthrough.client_wants_stream_usage;
  options.input_tokens_estimate = response.usage.prompt_total();
  std::unique_ptr<inbound::StreamEncoder> encoder = call_.codec().NewStreamEncoder(options);
  std::string out;
  for (const canonical::StreamEvent& event : canonical::EventsOf(response)) {
    encoder->Encode(event, out);
  }
  encoder->Finish(out, StreamCostComment(cost, call_.request_id()));
  headers.emplace_back("Content-Type", "text/event-stream");
  if (!co_await downstream.BeginStream(200, std::move(headers))) co_return;
  const std::string_view piece = out;
  co_await downstream.EndStream(std::span<const std::string_view>(&piece, 1));
}

Task<> CallCache::Store(const AttemptResult& result) {
  if (!policy_ || !result.committed || result.error || !result.answer) co_return;
  if (OutputGuardrailFired()) co_return;  // the kept answer is the provider's, not the client's
  const canonical::ChatResponse& answer = *result.answer;
  if (!answer.message.tool_calls.empty() && !policy_->tools) co_return;
  if (answer.finish_reason == canonical::FinishReason::kError ||
      answer.finish_reason == canonical::FinishReason::kUnknown) {
    co_return;  // an answer that did not say it was complete
  }
  cache::CacheEntry entry;
  entry.response = answer;
  entry.provider = result.record.provider;
  entry.model = result.record.model;
  entry.cost_nanos = result.record.cost_nanos;
  entry.request_id = call_.request_id();
  entry.stored_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        call_.record().time.time_since_epoch())
                        .count();
  entry.from_stream = call_.record().stream;
  co_await worker_.state.cache->Store(keys_.exact, keys_.partition, entry, policy_->ttl, vector_);
}

}  // namespace switchyard::gateway
