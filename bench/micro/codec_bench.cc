// Hot-path micro-benchmarks (issue 6): what one request, response or stream chunk costs in each stage
// of the gateway, without sockets. Figures, never a CI gate.
//
//   BUILD_DIR=build-bench BUILD_TYPE=Release bash scripts/build.sh -DSWITCHYARD_BENCH=ON
//   build-bench/micro_bench --benchmark_filter='Decode|Encode|Passthrough|Sse|Stream'
//
// Requests come in two sizes: /0 a short chat (2 messages, ~200 bytes) and /1 a long one (24 turns
// with tools and a tool round trip, ~9 KB), built once per benchmark.
//
// - BM_ScanObject: the strict JSON scan every pass-through request gets (top-level member offsets).
// - BM_OpenAIPassthroughRequest/size/stream: scan + the OpenAI adapter's BuildPassthroughRequest
//   (model rewritten, stream_options added for streams; every other byte kept).
// - BM_OpenAIChatDecode, BM_AnthropicMessagesDecode: a client's body → the canonical request (the
//   inbound codecs).
// - BM_AnthropicEncodeRequest, BM_OpenAIEncodeRequest: canonical → the provider's wire body (the
//   adapters' EncodeRequest), the other half of a translated request.
// - BM_AnthropicResponseToOpenAI: a complete Anthropic answer → canonical → an OpenAI body.
// - BM_OpenAIResponseUsage: the usage read from a pass-through answer (for the cost).
// - Streams, per chunk (one upstream read holding one SSE event; `per_chunk` is the time for one):
//   BM_SseRelayOpenAI: SSE parse + the OpenAI stream tap + the re-framed event (pass-through);
//   BM_StreamOpenAIToAnthropic: SSE parse + OpenAI stream decoder + Anthropic stream encoder;
//   BM_StreamAnthropicToOpenAI: SSE parse + Anthropic stream decoder + OpenAI stream encoder (the
//   direction of bench/run's translation scenario).
// Not here yet: cache key hashing (no cache in this version).
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "canonical/chat.h"
#include "config/config.h"
#include "http/client/upstream_endpoint.h"
#include "inbound/inbound_codec.h"
#include "json/object_scan.h"
#include "hosts/host_profile.h"
#include "providers/provider_adapter.h"
#include "sse/sse_parser.h"
#include "wire/format.h"

namespace switchyard {
namespace {

// --- inputs --------------------------------------------------------------------------------------

constexpr const char* kSystem = "You are a terse assistant.";
constexpr const char* kTools =
    R"([{"type":"function","function":{"name":"get_weather","description":"Current weather for a city",)"
    R"("parameters":{"type":"object","properties":{"city":{"type":"string"},"unit":{"type":"string",)"
    R"("enum":["c","f"]}},"required":["city"]}}},{"type":"function","function":{"name":"search",)"
    R"("description":"Web search","parameters":{"type":"object","properties":{"q":{"type":"string"}},)"
    R"("required":["q"]}}}])";

std::string Sentence(int i) {
  return "Turn " + std::to_string(i) +
         ": tell me something short about the history of mapmaking and why projections distort "
         "areas near the poles, in plain words.";
}

// An OpenAI Chat Completions body; `large` adds 24 turns, tools and a tool round trip.
std::string OpenAIBody(bool large, bool stream) {
  std::string body = R"({"model":"bench/gpt-4o-mini",)";
  if (stream) body += R"("stream":true,)";
  body += R"("messages":[{"role":"system","content":")" + std::string(kSystem) + R"("},)";
  if (large) {
    for (int i = 0; i < 24; ++i) {
      body += R"({"role":")" + std::string(i % 2 == 0 ? "user" : "assistant") +
              R"(","content":")" + Sentence(i) + R"("},)";
    }
    body += R"({"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",)"
            R"("function":{"name":"get_weather","arguments":"{\"city\":\"Oslo\"}"}}]},)"
            R"({"role":"tool","tool_call_id":"call_1","content":"{\"temp_c\":3}"},)";
  }
  body += R"({"role":"user","content":"Say hello in one short sentence."}],)";
  if (large) body += R"("tools":)" + std::string(kTools) + ",";
  body += R"("max_tokens":32,"temperature":0.2})";
  return body;
}

// The same conversation as an Anthropic Messages body.
std::string AnthropicBody(bool large) {
  std::string body = R"({"model":"bench/claude-3-5-haiku-latest","system":")" + std::string(kSystem) +
                     R"(","messages":[)";
  if (large) {
    for (int i = 0; i < 24; ++i) {
      body += R"({"role":")" + std::string(i % 2 == 0 ? "user" : "assistant") +
              R"(","content":")" + Sentence(i) + R"("},)";
    }
    body += R"({"role":"user","content":"What is the weather in Oslo?"},)"
            R"({"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"get_weather",)"
            R"("input":{"city":"Oslo"}}]},)"
            R"({"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1",)"
            R"("content":"{\"temp_c\":3}"}]},)";
  }
  body += R"({"role":"user","content":"Say hello in one short sentence."}],)";
  if (large) {
    body += R"("tools":[{"name":"get_weather","description":"Current weather for a city",)"
            R"("input_schema":{"type":"object","properties":{"city":{"type":"string"}},)"
            R"("required":["city"]}}],)";
  }
  body += R"("max_tokens":32,"temperature":0.2})";
  return body;
}

constexpr const char* kAnthropicResponse =
    R"({"id":"msg_bench0001","type":"message","role":"assistant","model":"claude-3-5-haiku-20241022",)"
    R"("content":[{"type":"text","text":"Hello! Nice to meet you."}],"stop_reason":"end_turn",)"
    R"("stop_sequence":null,"usage":{"input_tokens":24,"output_tokens":7,)"
    R"("cache_creation_input_tokens":0,"cache_read_input_tokens":0}})";

constexpr const char* kOpenAIResponse =
    R"({"id":"chatcmpl-bench0001","object":"chat.completion","created":1730000000,)"
    R"("model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"message":{"role":"assistant",)"
    R"("content":"Hello! Nice to meet you.","refusal":null},"logprobs":null,"finish_reason":"stop"}],)"
    R"("usage":{"prompt_tokens":24,"completion_tokens":7,"total_tokens":31,)"
    R"("prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":0}},)"
    R"("system_fingerprint":"fp_bench"})";

// One OpenAI stream as the upstream's reads: each element is one SSE event's bytes. A role chunk,
// 20 content chunks, the finish chunk, the usage chunk, [DONE].
std::vector<std::string> OpenAIStreamChunks() {
  const std::string head =
      R"(data: {"id":"chatcmpl-bench0001","object":"chat.completion.chunk","created":1730000000,)"
      R"("model":"gpt-4o-mini-2024-07-18","system_fingerprint":"fp_bench","choices":[)";
  std::vector<std::string> chunks;
  chunks.push_back(head +
                   R"({"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]})"
                   "\n\n");
  for (int i = 0; i < 20; ++i) {
    chunks.push_back(head + R"({"index":0,"delta":{"content":" word)" + std::to_string(i) +
                     R"("},"logprobs":null,"finish_reason":null}]})" + "\n\n");
  }
  chunks.push_back(head + R"({"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]})" "\n\n");
  chunks.push_back(head +
                   R"(],"usage":{"prompt_tokens":24,"completion_tokens":20,"total_tokens":44}})"
                   "\n\n");
  chunks.push_back("data: [DONE]\n\n");
  return chunks;
}

// One Anthropic stream as the upstream's reads: message_start, a text block with 20 deltas, its
// stop, message_delta, message_stop.
std::vector<std::string> AnthropicStreamChunks() {
  std::vector<std::string> chunks;
  chunks.push_back(
      "event: message_start\n"
      R"(data: {"type":"message_start","message":{"id":"msg_bench0001","type":"message",)"
      R"("role":"assistant","model":"claude-3-5-haiku-20241022","content":[],"stop_reason":null,)"
      R"("stop_sequence":null,"usage":{"input_tokens":24,"output_tokens":1}}})"
      "\n\n");
  chunks.push_back(
      "event: content_block_start\n"
      R"(data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}})"
      "\n\n");
  for (int i = 0; i < 20; ++i) {
    chunks.push_back(
        "event: content_block_delta\n"
        R"(data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" word)" +
        std::to_string(i) + R"("}})" + "\n\n");
  }
  chunks.push_back("event: content_block_stop\n" R"(data: {"type":"content_block_stop","index":0})"
                   "\n\n");
  chunks.push_back(
      "event: message_delta\n"
      R"(data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},)"
      R"("usage":{"output_tokens":20}})"
      "\n\n");
  chunks.push_back("event: message_stop\n" R"(data: {"type":"message_stop"})" "\n\n");
  return chunks;
}

// A provider target as routing would resolve it: a known host's profile, a parsed endpoint.
struct Target {
  explicit Target(const char* name, const char* base_url, const char* model) {
    provider.name = name;
    provider.profile = hosts::FindKnownHost(name);
    endpoint = *http::ParseUpstreamEndpoint(base_url);
    target.provider = &provider;
    target.model = model;
    target.api_key = "sk-bench-0123456789";
    target.endpoint = &endpoint;
  }
  config::ProviderConfig provider;
  http::UpstreamEndpoint endpoint;
  providers::UpstreamTarget target;
};

void ReportPerChunk(benchmark::State& state, std::size_t chunks) {
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * chunks));
  state.counters["per_chunk"] = benchmark::Counter(
      static_cast<double>(chunks),
      benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

// --- requests ------------------------------------------------------------------------------------

void BM_ScanObject(benchmark::State& state) {
  const std::string body = OpenAIBody(state.range(0) == 1, false);
  for (auto _ : state) {
    auto scan = json::ScanObject(body);
    benchmark::DoNotOptimize(scan);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.size()));
}
BENCHMARK(BM_ScanObject)->Arg(0)->Arg(1);

void BM_OpenAIPassthroughRequest(benchmark::State& state) {
  const bool stream = state.range(1) == 1;
  const std::string body = OpenAIBody(state.range(0) == 1, stream);
  const providers::ProviderAdapter* adapter = providers::AdapterFor(wire::Format::kOpenAI);
  Target target("openai", "http://127.0.0.1:18501/v1", "gpt-4o-mini");
  for (auto _ : state) {
    auto scan = json::ScanObject(body);
    providers::PassthroughRequest request;
    request.body = body;
    request.scan = &*scan;
    request.stream = stream;
    auto upstream = adapter->BuildPassthroughRequest(request, target.target);
    benchmark::DoNotOptimize(upstream);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.size()));
}
BENCHMARK(BM_OpenAIPassthroughRequest)->ArgsProduct({{0, 1}, {0, 1}})->ArgNames({"large", "stream"});

void BM_OpenAIChatDecode(benchmark::State& state) {
  const std::string body = OpenAIBody(state.range(0) == 1, false);
  const inbound::InboundCodec* codec = inbound::CodecFor(wire::Format::kOpenAI);
  if (!codec->DecodeRequest(body).ok()) state.SkipWithError("the OpenAI body does not decode");
  for (auto _ : state) {
    auto request = codec->DecodeRequest(body);
    benchmark::DoNotOptimize(request);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.size()));
}
BENCHMARK(BM_OpenAIChatDecode)->Arg(0)->Arg(1);

void BM_AnthropicMessagesDecode(benchmark::State& state) {
  const std::string body = AnthropicBody(state.range(0) == 1);
  const inbound::InboundCodec* codec = inbound::CodecFor(wire::Format::kAnthropic);
  if (!codec->DecodeRequest(body).ok()) state.SkipWithError("the Anthropic body does not decode");
  for (auto _ : state) {
    auto request = codec->DecodeRequest(body);
    benchmark::DoNotOptimize(request);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.size()));
}
BENCHMARK(BM_AnthropicMessagesDecode)->Arg(0)->Arg(1);

void BM_AnthropicEncodeRequest(benchmark::State& state) {
  auto request = inbound::CodecFor(wire::Format::kOpenAI)->DecodeRequest(OpenAIBody(state.range(0) == 1, false));
  if (!request.ok()) {
    state.SkipWithError(request.error().message.c_str());
    return;
  }
  const providers::ProviderAdapter* adapter = providers::AdapterFor(wire::Format::kAnthropic);
  Target target("anthropic", "http://127.0.0.1:18501/anthropic", "claude-3-5-haiku-latest");
  for (auto _ : state) {
    auto encoded = adapter->EncodeRequest(*request, target.target);
    benchmark::DoNotOptimize(encoded);
  }
}
BENCHMARK(BM_AnthropicEncodeRequest)->Arg(0)->Arg(1);

void BM_OpenAIEncodeRequest(benchmark::State& state) {
  auto request = inbound::CodecFor(wire::Format::kAnthropic)->DecodeRequest(AnthropicBody(state.range(0) == 1));
  if (!request.ok()) {
    state.SkipWithError(request.error().message.c_str());
    return;
  }
  const providers::ProviderAdapter* adapter = providers::AdapterFor(wire::Format::kOpenAI);
  Target target("openai", "http://127.0.0.1:18501/v1", "gpt-4o-mini");
  for (auto _ : state) {
    auto encoded = adapter->EncodeRequest(*request, target.target);
    benchmark::DoNotOptimize(encoded);
  }
}
BENCHMARK(BM_OpenAIEncodeRequest)->Arg(0)->Arg(1);

// --- complete responses --------------------------------------------------------------------------

void BM_AnthropicResponseToOpenAI(benchmark::State& state) {
  const providers::ProviderAdapter* adapter = providers::AdapterFor(wire::Format::kAnthropic);
  const inbound::InboundCodec* codec = inbound::CodecFor(wire::Format::kOpenAI);
  for (auto _ : state) {
    auto response = adapter->DecodeResponse(kAnthropicResponse);
    if (!response.ok()) {
      state.SkipWithError(response.error().message.c_str());
      return;
    }
    std::string body = codec->EncodeResponse(*response);
    benchmark::DoNotOptimize(body);
  }
}
BENCHMARK(BM_AnthropicResponseToOpenAI);

void BM_OpenAIResponseUsage(benchmark::State& state) {
  const providers::ProviderAdapter* adapter = providers::AdapterFor(wire::Format::kOpenAI);
  for (auto _ : state) {
    auto usage = adapter->ParseResponseUsage(providers::Operation::kChatCompletions, kOpenAIResponse);
    benchmark::DoNotOptimize(usage);
  }
}
BENCHMARK(BM_OpenAIResponseUsage);

// --- streams, per chunk --------------------------------------------------------------------------

// Pass-through relay: what PassthroughRun does with each upstream read.
void BM_SseRelayOpenAI(benchmark::State& state) {
  const std::vector<std::string> chunks = OpenAIStreamChunks();
  const providers::ProviderAdapter* adapter = providers::AdapterFor(wire::Format::kOpenAI);
  std::string out;
  for (auto _ : state) {
    sse::SseParser parser;
    auto tap = adapter->NewStreamTap(/*hide_usage_chunk=*/true);
    for (const std::string& chunk : chunks) {
      out.clear();
      auto on_event = [&](const sse::Event& event) {
        if (tap->OnData(event.data) == providers::StreamTap::Verdict::kHide) return;
        if (!event.event.empty()) out.append("event: ").append(event.event).append("\n");
        out.append("data: ").append(event.data).append("\n\n");
      };
      benchmark::DoNotOptimize(parser.Feed(chunk, on_event));
      benchmark::DoNotOptimize(out.data());
    }
  }
  ReportPerChunk(state, chunks.size());
}
BENCHMARK(BM_SseRelayOpenAI);

// Translation: what TranslatedRun does with each upstream read, from `from` to the client's `to`.
void TranslateStream(benchmark::State& state, wire::Format from, wire::Format to,
                     const std::vector<std::string>& chunks) {
  const providers::ProviderAdapter* adapter = providers::AdapterFor(from);
  const inbound::InboundCodec* codec = inbound::CodecFor(to);
  inbound::StreamEncoderOptions options;
  options.model = "bench-model";
  options.id = "bench-id";
  options.created = 1730000000;
  options.input_tokens_estimate = 24;
  std::vector<canonical::StreamEvent> events;
  std::string out;
  for (auto _ : state) {
    sse::SseParser parser;
    auto decoder = adapter->NewStreamDecoder();
    auto encoder = codec->NewStreamEncoder(options);
    for (const std::string& chunk : chunks) {
      out.clear();
      auto on_event = [&](const sse::Event& event) {
        events.clear();
        decoder->Decode(event.event, event.data, events);
        for (const canonical::StreamEvent& translated : events) encoder->Encode(translated, out);
      };
      benchmark::DoNotOptimize(parser.Feed(chunk, on_event));
    }
    encoder->Finish(out, "");
    benchmark::DoNotOptimize(out.data());
  }
  ReportPerChunk(state, chunks.size());
}

void BM_StreamOpenAIToAnthropic(benchmark::State& state) {
  TranslateStream(state, wire::Format::kOpenAI, wire::Format::kAnthropic, OpenAIStreamChunks());
}
BENCHMARK(BM_StreamOpenAIToAnthropic);

void BM_StreamAnthropicToOpenAI(benchmark::State& state) {
  TranslateStream(state, wire::Format::kAnthropic, wire::Format::kOpenAI, AnthropicStreamChunks());
}
BENCHMARK(BM_StreamAnthropicToOpenAI);

}  // namespace
}  // namespace switchyard
