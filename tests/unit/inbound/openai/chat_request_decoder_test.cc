#include "inbound/openai/chat_request_decoder.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace switchyard::inbound::openai {
namespace {

using canonical::ContentPart;
using canonical::Role;

canonical::ChatRequest Decode(std::string_view body) {
  auto request = DecodeChatRequest(body);
  EXPECT_TRUE(request.ok()) << (request.ok() ? "" : request.error().message);
  return request.ok() ? std::move(request).value() : canonical::ChatRequest{};
}

// The param of the 400 the body gets.
std::string RefusedParam(std::string_view body) {
  auto request = DecodeChatRequest(body);
  EXPECT_FALSE(request.ok()) << body;
  if (request.ok()) return "";
  EXPECT_EQ(request.error().http_status, 400);
  EXPECT_NE(request.error().message.find(request.error().param), std::string::npos)
      << "the message names the field: " << request.error().message;
  return request.error().param;
}

TEST(ChatRequestDecoderTest, MapsTheSharedFieldsAndKeepsTheRestInExtra) {
  auto request = Decode(R"({"model":"m","messages":[{"role":"developer","content":"Be nice"},
      {"role":"user","content":"hi","name":"bob"}],"max_tokens":5,"max_completion_tokens":9,
      "temperature":0.2,"stop":"X","seed":1,"store":false,"metadata":{"a":"b"},
      "stream":true,"stream_options":{"include_usage":true},"safety_identifier":"sid"})");
  EXPECT_EQ(request.dialect, wire::Format::kOpenAI);
  ASSERT_EQ(request.messages.size(), 2u);
  EXPECT_EQ(request.messages[0].role, Role::kSystem);
  EXPECT_EQ(request.messages[1].name, "bob");
  EXPECT_EQ(request.max_tokens, 9);  // max_completion_tokens wins
  EXPECT_EQ(request.temperature, 0.2);
  EXPECT_EQ(request.stop, std::vector<std::string>{"X"});
  EXPECT_TRUE(request.stream);
  EXPECT_TRUE(request.client_wants_stream_usage);
  EXPECT_EQ(request.user, "sid");
  EXPECT_EQ(request.extra.size(), 3u);
  EXPECT_TRUE(request.extra.contains("seed"));
  EXPECT_TRUE(request.extra.contains("store"));
  EXPECT_TRUE(request.extra.contains("metadata"));
}

TEST(ChatRequestDecoderTest, ReadsImagesFilesAndToolTurns) {
  auto request = Decode(R"({"model":"m","messages":[
      {"role":"user","content":[{"type":"image_url","image_url":{"url":"data:IMAGE/PNG;base64,AAA="}},
                                {"type":"image_url","image_url":{"url":"https://x/y.png","detail":"low"}}]},
      {"role":"assistant","content":null,"refusal":"no","tool_calls":[
        {"id":"c1","type":"function","function":{"name":"f","arguments":"{}"}}]},
      {"role":"tool","tool_call_id":"c1","content":[{"type":"text","text":"ok"}]}]})");
  ASSERT_EQ(request.messages.size(), 3u);
  const auto& parts = request.messages[0].content;
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].kind, ContentPart::Kind::kImageBase64);
  EXPECT_EQ(parts[0].media_type, "image/png");
  EXPECT_EQ(parts[0].data, "AAA=");
  EXPECT_EQ(parts[1].kind, ContentPart::Kind::kImageUrl);
  EXPECT_EQ(parts[1].detail, "low");
  EXPECT_EQ(request.messages[1].content.at(0).text, "no");  // a refusal reads as text
  EXPECT_EQ(request.messages[1].tool_calls.at(0).name, "f");
  EXPECT_EQ(request.messages[2].role, Role::kTool);
  EXPECT_EQ(request.messages[2].tool_call_id, "c1");
}

TEST(ChatRequestDecoderTest, KeepsTheClientsPathOfEveryMessageAndPart) {
  auto request = Decode(R"({"model":"m","messages":[
      {"role":"system","content":"s"},
      {"role":"user","content":[{"type":"text","text":"a"},
                                {"type":"image_url","image_url":{"url":"https://x/y.png"}}]},
      {"role":"assistant","content":"ok","refusal":"no",
       "thinking_blocks":[{"type":"thinking","thinking":"t","signature":"sig"}]}]})");
  ASSERT_EQ(request.messages.size(), 3u);
  EXPECT_EQ(request.messages[0].path, "messages[0]");
  EXPECT_EQ(request.messages[0].content.at(0).path, "messages[0].content");
  EXPECT_EQ(request.messages[1].content.at(1).path, "messages[1].content[1]");
  const auto& assistant = request.messages[2];
  ASSERT_EQ(assistant.content.size(), 3u);  // thinking first, then the text and the refusal
  EXPECT_EQ(assistant.content[0].path, "messages[2].thinking_blocks[0]");
  EXPECT_EQ(assistant.content[1].path, "messages[2].content");
  EXPECT_EQ(assistant.content[2].path, "messages[2].refusal");
}

TEST(ChatRequestDecoderTest, ReadsToolChoiceShapes) {
  using Mode = canonical::ToolChoice::Mode;
  EXPECT_EQ(Decode(R"({"model":"m","messages":[],"tool_choice":"none"})").tool_choice.mode, Mode::kNone);
  auto named = Decode(R"({"model":"m","messages":[],"tool_choice":{"type":"function","function":{"name":"f"}}})");
  EXPECT_EQ(named.tool_choice.mode, Mode::kNamed);
  EXPECT_EQ(named.tool_choice.name, "f");
  auto allowed = Decode(R"({"model":"m","messages":[],"tool_choice":{"type":"allowed_tools",
      "allowed_tools":{"mode":"required","tools":[{"type":"function","function":{"name":"g"}}]}}})");
  EXPECT_EQ(allowed.tool_choice.mode, Mode::kRequired);
  EXPECT_EQ(allowed.tool_choice.allowed, std::vector<std::string>{"g"});
}

TEST(ChatRequestDecoderTest, ReadsResponseFormatAndReasoning) {
  auto request = Decode(R"({"model":"m","messages":[],"reasoning_effort":"low",
      "response_format":{"type":"json_schema","json_schema":{"name":"n","schema":{"type":"object"}}}})");
  EXPECT_EQ(request.reasoning.mode, canonical::Reasoning::Mode::kEnabled);
  EXPECT_EQ(request.reasoning.effort, "low");
  EXPECT_EQ(request.response_format.kind, canonical::ResponseFormat::Kind::kJsonSchema);
  EXPECT_EQ(request.response_format.name, "n");
}

TEST(ChatRequestDecoderTest, RefusalsNameTheField) {
  EXPECT_EQ(RefusedParam(R"({"messages":[]})"), "model");
  EXPECT_EQ(RefusedParam(R"({"model":"m"})"), "messages");
  EXPECT_EQ(RefusedParam(R"({"model":7,"messages":[]})"), "model");
  EXPECT_EQ(RefusedParam(R"({"model":"m","messages":[{"content":"x"}]})"), "messages[0].role");
  EXPECT_EQ(RefusedParam(R"({"model":"m","messages":[{"role":"wizard","content":"x"}]})"),
            "messages[0].role");
  EXPECT_EQ(RefusedParam(R"({"model":"m","messages":[{"role":"user","content":5}]})"),
            "messages[0].content");
  EXPECT_EQ(RefusedParam(R"({"model":"m","messages":[{"role":"assistant","tool_calls":[
      {"id":"a","type":"function","function":{"arguments":"{}"}}]}]})"),
            "messages[0].tool_calls[0].function.name");
  EXPECT_EQ(RefusedParam(R"({"model":"m","messages":[{"role":"user","content":[
      {"type":"image_url","image_url":{"url":"data:image/png,abc"}}]}]})"),
            "messages[0].content[0].image_url.url");
  EXPECT_EQ(RefusedParam(R"({"model":"m","messages":[{"role":"user","content":[
      {"type":"file","file":{"file_id":"file-1"}}]}]})"),
            "messages[0].content[0].file.file_id");
  EXPECT_EQ(RefusedParam(R"({"model":"m","messages":[{"role":"system","content":[
      {"type":"image_url","image_url":{"url":"https://x"}}]}]})"),
            "messages[0].content[0]");
  EXPECT_EQ(RefusedParam(R"({"model":"m","messages":[],"max_completion_tokens":1.5})"),
            "max_completion_tokens");
  EXPECT_EQ(RefusedParam(R"({"model":"m","messages":[],"max_tokens":0})"), "max_tokens");
  EXPECT_EQ(RefusedParam(R"({"model":"m","messages":[],"tools":[{"type":"custom","custom":{}}]})"),
            "tools[0].type");
  EXPECT_EQ(RefusedParam(R"({"model":"m","messages":[],"tool_choice":"sometimes"})"), "tool_choice");
  EXPECT_EQ(RefusedParam(R"({"model":"m","messages":[],"response_format":{"type":"xml"}})"),
            "response_format.type");
  EXPECT_EQ(RefusedParam(R"({"model":"m","messages":[],"stop":[1]})"), "stop");
}

TEST(ChatRequestDecoderTest, RefusesBodiesThatAreNotJsonObjects) {
  for (std::string_view body : {"", "[]", "{", "nul", "{\"model\":\"m\",}"}) {
    auto request = DecodeChatRequest(body);
    ASSERT_FALSE(request.ok()) << body;
    EXPECT_EQ(request.error().http_status, 400);
  }
}

}  // namespace
}  // namespace switchyard::inbound::openai
