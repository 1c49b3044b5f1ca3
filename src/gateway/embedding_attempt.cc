#include "gateway/embedding_attempt.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include <cmath>

#include "core/redact.h"
#include "gateway/attempt_price.h"
#include "gateway/client_request.h"
#include "http/client/upstream_exchange.h"
#include "json/object_scan.h"

namespace switchyard::gateway {
namespace {

namespace json = boost::json;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kMaxEmbeddingBody = 4 << 20;  // 4 MiB: thousands of dimensions, as text
constexpr std::size_t kMaxDimensions = 16384;

std::int64_t MsSince(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

// data[0].embedding of an OpenAI embeddings answer, as floats; an error naming what is wrong.
Result<std::vector<float>> ReadVector(std::string_view body) {
  boost::system::error_code ec;
  json::value parsed = json::parse(body, ec);
  const json::object* object = ec ? nullptr : parsed.if_object();
  const json::value* data = object ? object->if_contains("data") : nullptr;
  const json::array* items = data ? data->if_array() : nullptr;
  const json::object* first = items && !items->empty() ? (*items)[0].if_object() : nullptr;
  const json::value* embedding = first ? first->if_contains("embedding") : nullptr;
  const json::array* numbers = embedding ? embedding->if_array() : nullptr;
  if (numbers == nullptr || numbers->empty() || numbers->size() > kMaxDimensions) {
    return Error::UpstreamProtocol("the embeddings answer has no data[0].embedding array of "
                                   "numbers (base64 encoding is not read)");
  }
  std::vector<float> vector;
  vector.reserve(numbers->size());
  for (const json::value& number : *numbers) {
    if (!number.is_number()) return Error::UpstreamProtocol("an embedding value is not a number");
    const double value = number.to_number<double>();
    if (!std::isfinite(value)) return Error::UpstreamProtocol("an embedding value is not finite");
    vector.push_back(static_cast<float>(value));
  }
  return vector;
}

}  // namespace

Task<EmbeddingOutcome> RunEmbeddingAttempt(Worker& worker, const http::IncomingRequest& request,
                                           const routing::PlannedTarget& target,
                                           std::string_view text, int n,
                                           std::chrono::system_clock::time_point call_time) {
  const routing::ProviderRuntime& provider = *target.provider;
  const std::string_view api_key = ApiKeyFor(request, target);
  const Clock::time_point start = Clock::now();
  EmbeddingOutcome outcome;
  ledger::AttemptRecord& record = outcome.record;
  record.n = n;
  record.kind = ledger::AttemptKind::kEmbedding;
  record.provider = provider.config->name;
  record.model = target.model;
  auto fail = [&](ledger::AttemptOutcome how, std::string reason) {
    record.outcome = how;
    record.reason = RedactSecrets(reason, api_key);
    record.latency_ms = MsSince(start);
  };

  const std::string body = json::serialize(json::object{{"model", target.model}, {"input", text}});
  auto scan = switchyard::json::ScanObject(body);
  providers::PassthroughRequest passthrough;
  passthrough.operation = providers::Operation::kEmbeddings;
  passthrough.body = body;
  passthrough.scan = scan ? &*scan : nullptr;
  providers::UpstreamTarget upstream_target{provider.config, target.model, api_key,
                                            &provider.endpoint, target.params_json};
  auto upstream = provider.adapter->BuildPassthroughRequest(passthrough, upstream_target);
  if (!upstream) {
    fail(ledger::AttemptOutcome::kUpstreamError, upstream.error().message);
    co_return outcome;
  }
  http::UpstreamExchange exchange(worker.pool, provider.endpoint, provider.config->deadlines);
  const Status sent = co_await exchange.Send(*upstream);
  if (!sent.ok()) {
    fail(sent.error().kind == ErrorKind::kUpstreamTimeout ? ledger::AttemptOutcome::kTimeout
                                                          : ledger::AttemptOutcome::kConnectError,
         sent.error().message);
    co_return outcome;
  }
  record.http_status = exchange.status();
  auto answer = co_await exchange.ReadAll(kMaxEmbeddingBody);
  if (!answer) {
    fail(ledger::AttemptOutcome::kUpstreamError, answer.error().message);
    co_return outcome;
  }
  if (exchange.status() >= 400) {
    providers::ProviderError error = providers::Redacted(
        provider.adapter->ParseError(exchange.status(), *answer), api_key);
    fail(ledger::AttemptOutcome::kUpstreamError,
         fmt::format("the embedding model answered {}: {}", exchange.status(), error.message));
    co_return outcome;
  }
  record.usage = provider.adapter->ParseResponseUsage(providers::Operation::kEmbeddings, *answer);
  record.cost_nanos =
      PriceAtProvider(*worker.state.catalog, *provider.config, target.model, record.usage,
                      call_time);
  auto vector = ReadVector(*answer);
  if (!vector) {
    fail(ledger::AttemptOutcome::kUpstreamError, vector.error().message);
    co_return outcome;
  }
  record.latency_ms = MsSince(start);
  outcome.vector = std::move(vector).value();
  co_return outcome;
}

}  // namespace switchyard::gateway
