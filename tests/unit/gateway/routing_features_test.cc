// ReadRoutingFeatures: the facts routing reads from a client's body without decoding it.
#include "gateway/routing_features.h"

#include <gtest/gtest.h>

#include <string>

namespace switchyard::gateway {
namespace {

routing::RequestFeatures Read(const std::string& body,
                              wire::Format dialect = wire::Format::kOpenAI,
                              std::string_view metadata = {}) {
  auto scan = json::ScanObject(body);
  EXPECT_TRUE(scan.ok()) << body;
  if (!scan.ok()) return {};
  return ReadRoutingFeatures({body, &*scan, dialect, "m", false, metadata});
}

std::string Base64Payload(std::size_t bytes) {
  std::string out;
  while (out.size() < bytes) out += "iVBORw0KGgoAAAANSUhEUgAA+/";
  out.resize(bytes);
  return out;
}

TEST(RoutingFeaturesTest, PlainOpenAIRequest) {
  const std::string body =
      R"({"model":"m","messages":[{"role":"user","content":"hi"}],"max_completion_tokens":77})";
  const routing::RequestFeatures features =
      Read(body, wire::Format::kOpenAI, R"({"user":"u1","n":3})");
  EXPECT_EQ(features.inbound, "openai");
  EXPECT_EQ(features.input_tokens, static_cast<std::int64_t>((body.size() + 3) / 4));
  EXPECT_EQ(features.max_tokens, 77);
  EXPECT_FALSE(features.has_tools);
  EXPECT_FALSE(features.has_images);
  EXPECT_EQ(features.metadata.at("user"), "u1");
  EXPECT_EQ(features.metadata.at("n"), "3");
}

TEST(RoutingFeaturesTest, ToolsImagesAndJsonSchema) {
  const routing::RequestFeatures features = Read(
      R"({"model":"m","tools":[{"type":"function","function":{"name":"f"}}],)"
      R"("response_format":{"type":"json_schema","json_schema":{"name":"x","schema":{}}},)"
      R"("messages":[{"role":"user","content":[)"
      R"({"type":"image_url","image_url":{"url":"https://x/y.png"}}]}]})");
  EXPECT_TRUE(features.has_tools);
  EXPECT_TRUE(features.has_images);
  EXPECT_TRUE(features.wants_json_schema);
  EXPECT_FALSE(Read(R"({"model":"m","tools":[ ],"messages":[]})").has_tools);
}

// A base64 image counts as a flat 1600 tokens, not as its bytes / 4.
TEST(RoutingFeaturesTest, InlineImageDataUriIsNotCountedByItsBytes) {
  const std::string payload = Base64Payload(100'000);
  const std::string body =
      R"({"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"what?"},)"
      R"({"type":"image_url","image_url":{"url":"data:image/png;base64,)" + payload +
      R"("}}]}]})";
  const routing::RequestFeatures features = Read(body);
  EXPECT_TRUE(features.has_images);
  EXPECT_EQ(features.input_tokens,
            static_cast<std::int64_t>((body.size() - payload.size() + 3) / 4) + 1600);
}

TEST(RoutingFeaturesTest, AnthropicBase64SourcesAreNotCountedByTheirBytes) {
  const std::string payload = Base64Payload(50'000);
  const std::string image =
      R"({"type":"image","source":{"type":"base64","media_type":"image/png", "data" : ")" +
      payload + R"("}})";
  const std::string quoted =
      R"({"type":"text","text":"\"data\": \"not a payload, just text that quotes one\""})";
  const std::string body = R"({"model":"m","max_tokens":10,"messages":[{"role":"user","content":[)" +
                           image + "," + image + "," + quoted + "]}]}";
  const routing::RequestFeatures features = Read(body, wire::Format::kAnthropic);
  EXPECT_EQ(features.inbound, "anthropic");
  EXPECT_TRUE(features.has_images);
  EXPECT_EQ(features.max_tokens, 10);
  EXPECT_EQ(features.input_tokens,
            static_cast<std::int64_t>((body.size() - 2 * payload.size() + 3) / 4) + 2 * 1600);
}

TEST(RoutingFeaturesTest, ShortOrNonStringDataMembersAreText) {
  const std::string body =
      R"({"model":"m","messages":[{"role":"user","content":"x","data":"short"},{"data":{"a":1}},)"
      R"({"type":"data"}]})";
  EXPECT_EQ(Read(body).input_tokens, static_cast<std::int64_t>((body.size() + 3) / 4));
}

}  // namespace
}  // namespace switchyard::gateway
