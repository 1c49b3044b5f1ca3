// The cache's keys: the same request through either client API is one key; anything that can
// change the answer is another; the semantic partition keeps matches within one context.
#include "cache/cache_key.h"

#include <gtest/gtest.h>

#include "inbound/inbound_codec.h"

namespace switchyard::cache {
namespace {

const config::SemanticCacheConfig kSemantic{};

canonical::ChatRequest Decode(wire::Format format, std::string_view body) {
  auto request = inbound::CodecFor(format)->DecodeRequest(body);
  EXPECT_TRUE(request) << (request ? "" : request.error().message);
  return request ? std::move(request).value() : canonical::ChatRequest{};
}

Digest ExactOf(std::string_view body, wire::Format format = wire::Format::kOpenAI,
               std::string_view model = "faq", std::string_view scope = "key:a") {
  return KeysOf(Decode(format, body), model, scope, &kSemantic).exact;
}

constexpr std::string_view kOpenAI =
    R"({"model":"faq","max_tokens":50,"temperature":0.2,"messages":[)"
    R"({"role":"system","content":"Be brief."},{"role":"user","content":"What is 2+2?"}]})";

TEST(CacheKeyTest, StreamAndDeliveryFieldsDoNotChangeTheKey) {
  const Digest plain = ExactOf(kOpenAI);
  EXPECT_EQ(plain, ExactOf(R"({"model":"faq","max_tokens":50,"temperature":0.2,"stream":true,)"
                           R"("stream_options":{"include_usage":true},"user":"u1","messages":[)"
                           R"({"role":"system","content":"Be brief."},)"
                           R"({"role":"user","content":[{"type":"text","text":"What is 2+2?"}]}]})"));
}

TEST(CacheKeyTest, BothClientApisNameTheSameRequestAlike) {
  const Digest openai = ExactOf(kOpenAI);
  const Digest anthropic = ExactOf(
      R"({"model":"faq","max_tokens":50,"temperature":0.2,"system":"Be brief.",)"
      R"("messages":[{"role":"user","content":"What is 2+2?"}]})",
      wire::Format::kAnthropic);
  EXPECT_EQ(openai, anthropic);
}

TEST(CacheKeyTest, EveryAnswerChangingFieldIsAnotherKey) {
  const Digest base = ExactOf(kOpenAI);
  const std::string variants[] = {
      R"({"model":"faq","max_tokens":51,"temperature":0.2,"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"What is 2+2?"}]})",
      R"({"model":"faq","max_tokens":50,"temperature":0.3,"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"What is 2+2?"}]})",
      R"({"model":"faq","max_tokens":50,"temperature":0.2,"top_p":0.5,"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"What is 2+2?"}]})",
      R"({"model":"faq","max_tokens":50,"temperature":0.2,"stop":["x"],"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"What is 2+2?"}]})",
      R"({"model":"faq","max_tokens":50,"temperature":0.2,"seed":7,"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"What is 2+2?"}]})",
      R"({"model":"faq","max_tokens":50,"temperature":0.2,"response_format":{"type":"json_object"},"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"What is 2+2?"}]})",
      R"({"model":"faq","max_tokens":50,"temperature":0.2,"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}],"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"What is 2+2?"}]})",
      R"({"model":"faq","max_tokens":50,"temperature":0.2,"messages":[{"role":"system","content":"Be briefer."},{"role":"user","content":"What is 2+2?"}]})",
      R"({"model":"faq","max_tokens":50,"temperature":0.2,"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"What is 2+3?"}]})",
  };
  for (const std::string& variant : variants) EXPECT_NE(base, ExactOf(variant)) << variant;
  EXPECT_NE(base, ExactOf(kOpenAI, wire::Format::kOpenAI, "other-route"));
  EXPECT_NE(base, ExactOf(kOpenAI, wire::Format::kOpenAI, "faq", "key:b"));
}

TEST(CacheKeyTest, MemberOrderOfAFieldDoesNotMatter) {
  const Digest a = ExactOf(
      R"({"model":"m","messages":[{"role":"user","content":"q"}],)"
      R"("response_format":{"type":"json_schema","json_schema":{"name":"s","schema":{"type":"object","properties":{"a":{"type":"string"},"b":{"type":"number"}}}}}})");
  const Digest b = ExactOf(
      R"({"response_format":{"json_schema":{"schema":{"properties":{"b":{"type":"number"},"a":{"type":"string"}},"type":"object"},"name":"s"},"type":"json_schema"},)"
      R"("messages":[{"content":"q","role":"user"}],"model":"m"})");
  EXPECT_EQ(a, b);
}

TEST(CacheKeyTest, SemanticPartitionHoldsEverythingButTheLastQuestion) {
  auto keys_of = [](std::string_view question, std::string_view system) {
    const std::string body = std::string(R"({"model":"faq","messages":[{"role":"system","content":")") +
                             std::string(system) + R"("},{"role":"user","content":")" +
                             std::string(question) + R"("}]})";
    return KeysOf(Decode(wire::Format::kOpenAI, body), "faq", "key:a", &kSemantic);
  };
  const CacheKeys a = keys_of("How do I reset my password?", "Support bot.");
  const CacheKeys b = keys_of("How can I reset my password?", "Support bot.");
  const CacheKeys c = keys_of("How do I reset my password?", "Sales bot.");
  ASSERT_TRUE(a.partition && b.partition && c.partition);
  EXPECT_EQ(*a.partition, *b.partition);
  EXPECT_NE(a.exact, b.exact);
  EXPECT_NE(*a.partition, *c.partition);
  EXPECT_EQ(a.embed_text, "How do I reset my password?");
}

TEST(CacheKeyTest, AnExactOnlyCallHasTheSameExactKeyAndNoPartition) {
  const canonical::ChatRequest request = Decode(wire::Format::kOpenAI, kOpenAI);
  const CacheKeys exact_only = KeysOf(request, "m", "shared", nullptr);
  const CacheKeys semantic = KeysOf(request, "m", "shared", &kSemantic);
  EXPECT_EQ(exact_only.exact, semantic.exact);
  EXPECT_FALSE(exact_only.partition);
  EXPECT_TRUE(exact_only.embed_text.empty());
}

TEST(CacheKeyTest, LongConversationsAndImagesAreMatchedExactlyOnly) {
  std::string body = R"({"model":"m","messages":[)";
  for (int i = 0; i < 5; ++i) {
    body += R"({"role":"user","content":"q"},{"role":"assistant","content":"a"},)";
  }
  body += R"({"role":"user","content":"last"}]})";
  EXPECT_FALSE(KeysOf(Decode(wire::Format::kOpenAI, body), "m", "shared", &kSemantic).partition);
  const std::string image =
      R"({"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"what is it"},)"
      R"({"type":"image_url","image_url":{"url":"https://example.com/a.png"}}]}]})";
  EXPECT_FALSE(KeysOf(Decode(wire::Format::kOpenAI, image), "m", "shared", &kSemantic).partition);
}

TEST(CacheKeyTest, SomeRequestsAreNeverCached) {
  EXPECT_EQ(NotCacheable(Decode(wire::Format::kOpenAI, kOpenAI)), "");
  EXPECT_NE(NotCacheable(Decode(wire::Format::kOpenAI,
                                R"({"model":"m","n":2,"messages":[{"role":"user","content":"q"}]})")),
            "");
  EXPECT_NE(NotCacheable(Decode(wire::Format::kOpenAI,
                                R"({"model":"m","logprobs":true,"messages":[{"role":"user","content":"q"}]})")),
            "");
}

}  // namespace
}  // namespace switchyard::cache
