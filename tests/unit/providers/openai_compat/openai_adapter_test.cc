#include "providers/openai_compat/openai_adapter.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "config/config.h"
#include "http/client/upstream_endpoint.h"
#include "json/object_scan.h"
#include "hosts/host_profile.h"

namespace switchyard::providers::openai_compat {
namespace {

namespace bjson = boost::json;

constexpr std::string_view kApiKey = "sk-test-KEY-0123456789";

// Replaces the only occurrence of `from` in `text` with `to`; fails the test when there is not
// exactly one.
std::string ReplaceOnce(std::string text, std::string_view from, std::string_view to) {
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  EXPECT_EQ(text.find(from, at + 1), std::string::npos) << from << " occurs twice";
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

// The value of a header, or nullopt; fails when the header appears more than once.
std::optional<std::string> HeaderValue(const http::UpstreamRequest& request,
                                       std::string_view name) {
  std::optional<std::string> found;
  for (const auto& [key, value] : request.headers) {
    if (key == name) {
      EXPECT_FALSE(found.has_value()) << name << " sent twice";
      found = value;
    }
  }
  return found;
}

class OpenAIAdapterTest : public ::testing::Test {
 protected:
  OpenAIAdapterTest() { UseKnownHost("openai", "https://api.openai.com/v1"); }

  void UseKnownHost(std::string_view name, std::string_view base_url) {
    provider_.name = std::string(name);
    provider_.profile = hosts::FindKnownHost(name);
    ASSERT_NE(provider_.profile, nullptr) << name;
    UseBaseUrl(base_url);
  }

  void UseBaseUrl(std::string_view base_url) {
    Result<http::UpstreamEndpoint> endpoint = http::ParseUpstreamEndpoint(base_url);
    ASSERT_TRUE(endpoint.ok()) << base_url;
    endpoint_ = *endpoint;
  }

  struct BuildOptions {
    Operation operation = Operation::kChatCompletions;
    bool stream = false;
    bool client_wants_stream_usage = false;
  };

  http::UpstreamRequest Build(std::string_view body, BuildOptions options) {
    Result<json::ObjectScan> scan = json::ScanObject(body);
    EXPECT_TRUE(scan.ok()) << body;
    if (!scan.ok()) return {};
    PassthroughRequest request;
    request.operation = options.operation;
    request.body = body;
    request.scan = &*scan;
    request.stream = options.stream;
    request.client_wants_stream_usage = options.client_wants_stream_usage;
    UpstreamTarget target;
    target.provider = &provider_;
    target.model = model_;
    target.api_key = api_key_;
    target.endpoint = &endpoint_;
    target.params_json = params_json_;
    Result<http::UpstreamRequest> built = adapter_.BuildPassthroughRequest(request, target);
    EXPECT_TRUE(built.ok()) << (built.ok() ? "" : built.error().message);
    if (!built.ok()) return {};
    // Whatever was rewritten, the result is still one valid JSON object.
    EXPECT_TRUE(json::ScanObject(built->body).ok()) << built->body;
    return std::move(built).value();
  }
  http::UpstreamRequest Build(std::string_view body) { return Build(body, BuildOptions{}); }

  static bjson::object Parse(std::string_view body) {
    boost::system::error_code ec;
    bjson::value value = bjson::parse(body, ec);
    EXPECT_FALSE(ec) << body;
    return value.is_object() ? value.get_object() : bjson::object{};
  }

  OpenAIAdapter adapter_;
  config::ProviderConfig provider_;
  http::UpstreamEndpoint endpoint_;
  std::string model_ = "gpt-4o-mini";
  std::string api_key_ = std::string(kApiKey);
  std::string params_json_;
};

// --- the body ------------------------------------------------------------------------------------

TEST_F(OpenAIAdapterTest, RewritesOnlyTheModelAndKeepsEveryOtherByte) {
  const std::string body =
      "{\n  \"model\" :\t\"my-alias\" ,\n"
      "  \"messages\":[{\"role\":\"user\",\"content\":\"caf\\u00e9 \\\"quoted\\\"\"}],\n"
      "  \"tools\": [ {\"type\":\"function\",\"function\":{\"name\":\"lookup\",\n"
      "      \"parameters\":{\"type\":\"object\",\"properties\":{}}}} ],\n"
      "  \"x_vendor_field\" : {\"a\" : [1, 2.50, 1e3, true, null]},\n"
      "  \"temperature\":0.70\n}\n";
  const http::UpstreamRequest request = Build(body);
  EXPECT_EQ(request.body, ReplaceOnce(body, "\"my-alias\"", "\"gpt-4o-mini\""));
}

TEST_F(OpenAIAdapterTest, ModelIsJsonQuoted) {
  model_ = "we\"ird\\model";
  const http::UpstreamRequest request = Build(R"({"model":"x","messages":[]})");
  EXPECT_EQ(request.body, R"({"model":"we\"ird\\model","messages":[]})");
  EXPECT_EQ(Parse(request.body).at("model").as_string(), "we\"ird\\model");
}

TEST_F(OpenAIAdapterTest, NonStreamingRequestGetsNoStreamOptions) {
  const std::string body = R"({"model":"x","messages":[]})";
  EXPECT_EQ(Build(body).body, R"({"model":"gpt-4o-mini","messages":[]})");
}

TEST_F(OpenAIAdapterTest, StreamWithoutStreamOptionsAsksForUsage) {
  const http::UpstreamRequest request =
      Build(R"({"model":"x","stream":true,"messages":[]})", {.stream = true});
  EXPECT_EQ(request.body, R"({"model":"gpt-4o-mini","stream":true,"messages":[],)"
                          R"("stream_options":{"include_usage":true}})");
}

TEST_F(OpenAIAdapterTest, StreamKeepsTheClientsOtherStreamOptions) {
  const http::UpstreamRequest request = Build(
      R"({"model":"x","stream":true,"stream_options":{"include_obfuscation":false},"messages":[]})",
      {.stream = true});
  EXPECT_EQ(
      request.body,
      R"({"model":"gpt-4o-mini","stream":true,)"
      R"("stream_options":{"include_obfuscation":false,"include_usage":true},"messages":[]})");
}

TEST_F(OpenAIAdapterTest, StreamWithUsageOffIsTurnedOn) {
  const http::UpstreamRequest request = Build(
      R"({"model":"x","stream":true,"stream_options":{"include_usage":false}})", {.stream = true});
  const bjson::object body = Parse(request.body);
  EXPECT_EQ(body.at("stream_options"), bjson::parse(R"({"include_usage":true})"));
}

TEST_F(OpenAIAdapterTest, ClientThatAskedForUsageIsUntouched) {
  const std::string body =
      R"({"model":"x", "stream":true, "stream_options": { "include_usage" : true }})";
  const http::UpstreamRequest request =
      Build(body, {.stream = true, .client_wants_stream_usage = true});
  EXPECT_EQ(request.body, ReplaceOnce(body, "\"x\"", "\"gpt-4o-mini\""));
}

TEST_F(OpenAIAdapterTest, HostThatAlwaysReportsUsageGetsNoStreamOptions) {
  UseKnownHost("mistral", "https://api.mistral.ai/v1");
  ASSERT_EQ(provider_.profile->stream_usage, hosts::StreamUsage::kAlways);
  model_ = "mistral-small-latest";
  const http::UpstreamRequest request =
      Build(R"({"model":"x","stream":true,"messages":[]})", {.stream = true});
  EXPECT_EQ(request.body, R"({"model":"mistral-small-latest","stream":true,"messages":[]})");
}

TEST_F(OpenAIAdapterTest, HostThatAlwaysReportsUsageDoesNotGetTheClientsStreamOptions) {
  UseKnownHost("mistral", "https://api.mistral.ai/v1");
  const http::UpstreamRequest request =
      Build(R"({"model":"x","stream":true,"stream_options":{"include_usage":true},"messages":[]})",
            {.stream = true, .client_wants_stream_usage = true});
  EXPECT_FALSE(Parse(request.body).contains("stream_options")) << request.body;
}

TEST_F(OpenAIAdapterTest, CustomProviderWithoutProfileIsTreatedLikeOpenAI) {
  provider_.name = "my-vllm";
  provider_.profile = nullptr;
  UseBaseUrl("http://10.0.0.5:8000/v1");
  const http::UpstreamRequest request = Build(R"({"model":"x","stream":true})", {.stream = true});
  EXPECT_EQ(request.body,
            R"({"model":"gpt-4o-mini","stream":true,"stream_options":{"include_usage":true}})");
  EXPECT_EQ(HeaderValue(request, "Authorization"), "Bearer " + std::string(kApiKey));
}

TEST_F(OpenAIAdapterTest, CerebrasRenamesMaxCompletionTokens) {
  UseKnownHost("cerebras", "https://api.cerebras.ai/v1");
  model_ = "llama3.1-8b";
  const http::UpstreamRequest request =
      Build(R"({"model":"x","max_completion_tokens":256,"messages":[]})");
  EXPECT_EQ(request.body, R"({"model":"llama3.1-8b","messages":[],"max_tokens":256})");
}

TEST_F(OpenAIAdapterTest, CerebrasKeepsBothWhenMaxTokensAlreadyExists) {
  UseKnownHost("cerebras", "https://api.cerebras.ai/v1");
  model_ = "llama3.1-8b";
  const std::string body = R"({"model":"x","max_tokens":10,"max_completion_tokens":256})";
  const http::UpstreamRequest request = Build(body);
  EXPECT_EQ(request.body, ReplaceOnce(body, "\"x\"", "\"llama3.1-8b\""));
}

TEST_F(OpenAIAdapterTest, OpenAIDoesNotRenameMaxCompletionTokens) {
  const std::string body = R"({"model":"x","max_completion_tokens":256})";
  EXPECT_EQ(Build(body).body, ReplaceOnce(body, "\"x\"", "\"gpt-4o-mini\""));
}

TEST_F(OpenAIAdapterTest, RouteParamsOverrideAddAndNeverTouchModel) {
  params_json_ = R"({"temperature":0.2,"top_k":40,"model":"not-this-one"})";
  const http::UpstreamRequest request =
      Build(R"({"model":"x", "temperature": 0.9, "messages":[]})");
  EXPECT_EQ(request.body,
            R"({"model":"gpt-4o-mini", "temperature": 0.2, "messages":[],"top_k":40})");
}

TEST_F(OpenAIAdapterTest, RouteParamsWithNestedValuesAreCopiedVerbatim) {
  params_json_ = R"({"response_format":{"type":"json_object"},"stop":["\n\n"]})";
  const http::UpstreamRequest request = Build(R"({"model":"x"})");
  EXPECT_EQ(request.body,
            R"({"model":"gpt-4o-mini","response_format":{"type":"json_object"},"stop":["\n\n"]})");
}

TEST_F(OpenAIAdapterTest, RouteParamsThatAreNotAnObjectAreAnInternalError) {
  params_json_ = "[1,2]";
  const std::string body = R"({"model":"x"})";
  Result<json::ObjectScan> scan = json::ScanObject(body);
  ASSERT_TRUE(scan.ok());
  PassthroughRequest request;
  request.body = body;
  request.scan = &*scan;
  UpstreamTarget target;
  target.provider = &provider_;
  target.model = model_;
  target.api_key = api_key_;
  target.endpoint = &endpoint_;
  target.params_json = params_json_;
  Result<http::UpstreamRequest> built = adapter_.BuildPassthroughRequest(request, target);
  ASSERT_FALSE(built.ok());
  EXPECT_EQ(built.error().kind, ErrorKind::kInternal);
}

// --- target and headers --------------------------------------------------------------------------

TEST_F(OpenAIAdapterTest, TargetIsBasePathPlusOperation) {
  EXPECT_EQ(Build(R"({"model":"x"})").target, "/v1/chat/completions");
  EXPECT_EQ(Build(R"({"model":"x","input":"hi"})", {.operation = Operation::kEmbeddings}).target,
            "/v1/embeddings");
  UseKnownHost("groq", "https://api.groq.com/openai/v1/");
  EXPECT_EQ(Build(R"({"model":"x"})").target, "/openai/v1/chat/completions");
  UseBaseUrl("http://127.0.0.1:9000");
  EXPECT_EQ(Build(R"({"model":"x"})").target, "/chat/completions");
}

TEST_F(OpenAIAdapterTest, StandardHeaders) {
  const http::UpstreamRequest plain = Build(R"({"model":"x"})");
  EXPECT_EQ(plain.method, "POST");
  EXPECT_EQ(HeaderValue(plain, "Content-Type"), "application/json");
  EXPECT_EQ(HeaderValue(plain, "Accept"), "application/json");
  ASSERT_TRUE(HeaderValue(plain, "User-Agent").has_value());
  EXPECT_TRUE(HeaderValue(plain, "User-Agent")->starts_with("switchyard/"));

  const http::UpstreamRequest stream = Build(R"({"model":"x","stream":true})", {.stream = true});
  EXPECT_EQ(HeaderValue(stream, "Accept"), "text/event-stream");
}

TEST_F(OpenAIAdapterTest, BearerAuthForOpenAI) {
  const http::UpstreamRequest request = Build(R"({"model":"x"})");
  EXPECT_EQ(HeaderValue(request, "Authorization"), "Bearer sk-test-KEY-0123456789");
  EXPECT_FALSE(HeaderValue(request, "x-api-key").has_value());
}

TEST_F(OpenAIAdapterTest, NoAuthHeaderWithoutKey) {
  UseKnownHost("ollama", "http://127.0.0.1:11434/v1");
  api_key_.clear();
  const http::UpstreamRequest request = Build(R"({"model":"x"})");
  EXPECT_FALSE(HeaderValue(request, "Authorization").has_value());
  EXPECT_FALSE(HeaderValue(request, "x-api-key").has_value());
  EXPECT_FALSE(HeaderValue(request, "x-goog-api-key").has_value());
}

TEST_F(OpenAIAdapterTest, AuthStyleComesFromTheProfile) {
  hosts::HostProfile x_api_key_host;
  x_api_key_host.name = "custom";
  x_api_key_host.auth = hosts::AuthStyle::kXApiKey;
  provider_.profile = &x_api_key_host;
  http::UpstreamRequest request = Build(R"({"model":"x"})");
  EXPECT_EQ(HeaderValue(request, "x-api-key"), std::string(kApiKey));
  EXPECT_FALSE(HeaderValue(request, "Authorization").has_value());

  hosts::HostProfile goog_host;
  goog_host.name = "custom";
  goog_host.auth = hosts::AuthStyle::kGoogApiKey;
  provider_.profile = &goog_host;
  request = Build(R"({"model":"x"})");
  EXPECT_EQ(HeaderValue(request, "x-goog-api-key"), std::string(kApiKey));
  EXPECT_FALSE(HeaderValue(request, "Authorization").has_value());
}

TEST_F(OpenAIAdapterTest, ProviderExtraHeadersAreSent) {
  UseKnownHost("openrouter", "https://openrouter.ai/api/v1");
  provider_.headers = {{"HTTP-Referer", "https://example.com"}, {"X-Title", "My App"}};
  const http::UpstreamRequest request = Build(R"({"model":"x"})");
  EXPECT_EQ(HeaderValue(request, "HTTP-Referer"), "https://example.com");
  EXPECT_EQ(HeaderValue(request, "X-Title"), "My App");
  EXPECT_EQ(HeaderValue(request, "Authorization"), "Bearer " + std::string(kApiKey));
}

TEST_F(OpenAIAdapterTest, ApiKeyAppearsOnlyInTheAuthorizationHeader) {
  params_json_ = R"({"user":"route-user"})";
  provider_.headers = {{"X-Title", "app"}};
  const http::UpstreamRequest request =
      Build(R"({"model":"x","stream":true,"messages":[{"role":"user","content":"hi"}]})",
            {.stream = true});
  EXPECT_EQ(request.body.find(kApiKey), std::string::npos) << request.body;
  EXPECT_EQ(request.target.find(kApiKey), std::string::npos);
  int carrying = 0;
  for (const auto& [name, value] : request.headers) {
    EXPECT_EQ(name.find(kApiKey), std::string::npos);
    if (value.find(kApiKey) != std::string::npos) {
      ++carrying;
      EXPECT_EQ(name, "Authorization");
    }
  }
  EXPECT_EQ(carrying, 1);
}

// --- usage of a complete response ----------------------------------------------------------------

TEST_F(OpenAIAdapterTest, ResponseUsageWithCacheAndReasoning) {
  const canonical::Usage usage = adapter_.ParseResponseUsage(
      Operation::kChatCompletions,
      R"({"id":"chatcmpl-1","object":"chat.completion","choices":[{"index":0,)"
      R"("message":{"role":"assistant","content":"Hello"},"finish_reason":"stop"}],)"
      R"("usage":{"prompt_tokens":100,"completion_tokens":50,"total_tokens":150,)"
      R"("prompt_tokens_details":{"cached_tokens":30,"audio_tokens":0},)"
      R"("completion_tokens_details":{"reasoning_tokens":20,"audio_tokens":0}}})");
  EXPECT_TRUE(usage.reported);
  EXPECT_EQ(usage.input_tokens, 70);  // prompt - cached
  EXPECT_EQ(usage.cached_input_tokens, 30);
  EXPECT_EQ(usage.cache_write_tokens, 0);
  EXPECT_EQ(usage.output_tokens, 50);  // reasoning included
  EXPECT_EQ(usage.reasoning_tokens, 20);
  EXPECT_EQ(usage.prompt_total(), 100);
}

TEST_F(OpenAIAdapterTest, ResponseUsageTakesCacheWritesOutOfInput) {
  const canonical::Usage usage = adapter_.ParseResponseUsage(
      Operation::kChatCompletions,
      R"({"usage":{"prompt_tokens":1000,"completion_tokens":5,)"
      R"("prompt_tokens_details":{"cached_tokens":600,"cache_write_tokens":300}}})");
  EXPECT_TRUE(usage.reported);
  EXPECT_EQ(usage.input_tokens, 100);
  EXPECT_EQ(usage.cached_input_tokens, 600);
  EXPECT_EQ(usage.cache_write_tokens, 300);
  EXPECT_EQ(usage.prompt_total(), 1000);
}

TEST_F(OpenAIAdapterTest, EmbeddingsUsage) {
  const canonical::Usage usage = adapter_.ParseResponseUsage(
      Operation::kEmbeddings,
      R"({"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.1,-0.2]}],)"
      R"("model":"text-embedding-3-small","usage":{"prompt_tokens":8,"total_tokens":8}})");
  EXPECT_TRUE(usage.reported);
  EXPECT_EQ(usage.input_tokens, 8);
  EXPECT_EQ(usage.output_tokens, 0);
}

TEST_F(OpenAIAdapterTest, NullOrAbsentUsageIsNotReported) {
  EXPECT_FALSE(adapter_
                   .ParseResponseUsage(Operation::kChatCompletions,
                                       R"({"id":"x","choices":[],"usage":null})")
                   .reported);
  EXPECT_FALSE(
      adapter_.ParseResponseUsage(Operation::kChatCompletions, R"({"id":"x","choices":[]})")
          .reported);
  EXPECT_FALSE(adapter_.ParseResponseUsage(Operation::kChatCompletions, "not json").reported);
  EXPECT_FALSE(adapter_.ParseResponseUsage(Operation::kChatCompletions, "").reported);
}

TEST_F(OpenAIAdapterTest, UsageWordInsideContentDoesNotConfuseIt) {
  // The content holds text that looks like a usage object; only the real one counts.
  const canonical::Usage usage = adapter_.ParseResponseUsage(
      Operation::kChatCompletions, R"({"choices":[{"message":{"content":)"
                                   R"("the \"usage\": {\"prompt_tokens\": 999} field, usage"}}],)"
                                   R"("usage":{"prompt_tokens":5,"completion_tokens":7}})");
  EXPECT_TRUE(usage.reported);
  EXPECT_EQ(usage.input_tokens, 5);
  EXPECT_EQ(usage.output_tokens, 7);

  // And when there is no usage at all, the look-alike is not taken for one.
  const canonical::Usage look_alike = adapter_.ParseResponseUsage(
      Operation::kChatCompletions, R"({"choices":[{"message":{"content":"usage"}}],)"
                                   R"("x":"\"usage\":{\"prompt_tokens\":9}"})");
  EXPECT_FALSE(look_alike.reported);
  const canonical::Usage after_null = adapter_.ParseResponseUsage(
      Operation::kChatCompletions,
      R"({"usage":null,"choices":[{"message":{"content":"\"usage\": {\"prompt_tokens\": 3}"}}]})");
  EXPECT_FALSE(after_null.reported);
}

TEST_F(OpenAIAdapterTest, UsageIsTheTopLevelOneNotANestedOne) {
  const canonical::Usage usage = adapter_.ParseResponseUsage(
      Operation::kChatCompletions,
      R"({"usage":{"prompt_tokens":5,"completion_tokens":7},"choices":[],)"
      R"("x_vendor":{"usage":{"prompt_tokens":999,"completion_tokens":999}}})");
  EXPECT_EQ(usage.input_tokens, 5);
  EXPECT_EQ(usage.output_tokens, 7);
}

}  // namespace
}  // namespace switchyard::providers::openai_compat
