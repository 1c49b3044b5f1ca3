// Response-cache benchmarks: the pieces an exact hit pays for besides the network and the ledger.
//
//   build-bench/micro_bench --benchmark_filter=Cache
//
// - BM_CacheKeys/semantic:0|1: the canonical request's keys (cache/cache_key.h): the exact key, and
//   with semantic:1 also the semantic partition — a JSON text of the request and a SHA-256 each.
// - BM_CacheEntryDecode/answer_bytes: a stored entry's bytes back into the answer, stored as they
//   are (below kEntryDeflateAbove) and deflated (above), to show what inflating costs at each size.
// - BM_CacheEntryEncode/answer_bytes: the other way, once per stored answer.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <iterator>
#include <string>

#include "cache/cache_entry.h"
#include "cache/cache_key.h"
#include "config/cache_config.h"
#include "inbound/inbound_codec.h"

namespace switchyard {
namespace {

constexpr std::string_view kRequest =
    R"({"model":"openai/gpt-4o-mini","max_tokens":50,"temperature":0.2,"messages":[)"
    R"({"role":"system","content":"You are a helpful assistant for a support desk."},)"
    R"({"role":"user","content":"Say hello and tell me what a gateway is in one sentence."}]})";

canonical::ChatRequest Request() {
  auto decoded = inbound::CodecFor(wire::Format::kOpenAI)->DecodeRequest(kRequest);
  if (!decoded) std::abort();
  return std::move(decoded).value();
}

void BM_CacheKeys(benchmark::State& state) {
  const canonical::ChatRequest request = Request();
  const config::SemanticCacheConfig semantic;
  const config::SemanticCacheConfig* const semantic_or_null = state.range(0) ? &semantic : nullptr;
  for (auto _ : state) {
    cache::CacheKeys keys = cache::KeysOf(request, "openai/gpt-4o-mini", "key:k1", semantic_or_null);
    benchmark::DoNotOptimize(keys);
  }
}
BENCHMARK(BM_CacheKeys)->ArgName("semantic")->Arg(0)->Arg(1);

// An answer of about `bytes` of English-like text (words from a short list: it deflates about as
// prose does).
cache::CacheEntry Entry(std::size_t bytes) {
  static constexpr std::string_view kWords[] = {"the", "gateway", "routes", "each", "call", "to",
                                                "a", "provider", "and", "records", "its", "cost"};
  std::string text;
  for (std::size_t i = 0; text.size() < bytes; ++i) {
    text += kWords[(i * 7 + i / 3) % std::size(kWords)];
    text += ' ';
  }
  cache::CacheEntry entry;
  entry.response.id = "chatcmpl-bench";
  entry.response.model = "gpt-4o-mini";
  entry.response.message.role = canonical::Role::kAssistant;
  canonical::ContentPart part;
  part.text = std::move(text);
  entry.response.message.content.push_back(std::move(part));
  entry.response.finish_reason = canonical::FinishReason::kStop;
  entry.response.usage.input_tokens = 24;
  entry.response.usage.output_tokens = static_cast<std::int64_t>(bytes / 4);
  entry.provider = "openai";
  entry.model = "gpt-4o-mini";
  entry.cost_nanos = 7800;
  entry.request_id = "req_0123456789abcdef01234567";
  return entry;
}

void BM_CacheEntryDecode(benchmark::State& state) {
  const std::string bytes = cache::EncodeEntry(Entry(static_cast<std::size_t>(state.range(0))));
  for (auto _ : state) {
    auto entry = cache::DecodeEntry(bytes, std::size_t{64} << 20);
    benchmark::DoNotOptimize(entry);
  }
  state.counters["stored_bytes"] = static_cast<double>(bytes.size());
  state.counters["deflated"] = bytes[5] == static_cast<char>(cache::kEntryDeflated) ? 1 : 0;
}
BENCHMARK(BM_CacheEntryDecode)->ArgName("answer_bytes")->Arg(30)->Arg(1500)->Arg(4000)->Arg(32000);

void BM_CacheEntryEncode(benchmark::State& state) {
  const cache::CacheEntry entry = Entry(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    std::string bytes = cache::EncodeEntry(entry);
    benchmark::DoNotOptimize(bytes);
  }
}
BENCHMARK(BM_CacheEntryEncode)->ArgName("answer_bytes")->Arg(30)->Arg(1500)->Arg(4000)->Arg(32000);

}  // namespace
}  // namespace switchyard
