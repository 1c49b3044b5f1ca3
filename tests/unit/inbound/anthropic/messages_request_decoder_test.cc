#include "inbound/anthropic/messages_request_decoder.h"

#include <gtest/gtest.h>

namespace switchyard::inbound::anthropic {
namespace {

using canonical::ContentPart;
using canonical::Role;

canonical::ChatRequest Decode(std::string_view body) {
  auto request = DecodeMessagesRequest(body);
  EXPECT_TRUE(request.ok()) << (request.ok() ? "" : request.error().message);
  return request.ok() ? std::move(request).value() : canonical::ChatRequest{};
}

std::string RefusedParam(std::string_view body) {
  auto request = DecodeMessagesRequest(body);
  EXPECT_FALSE(request.ok()) << body;
  if (request.ok()) return "";
  EXPECT_EQ(request.error().http_status, 400);
  return request.error().param;
}

TEST(MessagesRequestDecoderTest, ToolResultsComeFirstThenTheRestOfTheUserTurn) {
  auto request = Decode(R"({"model":"m","max_tokens":10,"system":"sys","messages":[
      {"role":"user","content":[
        {"type":"text","text":"before"},
        {"type":"tool_result","tool_use_id":"t1","content":"one"},
        {"type":"tool_result","tool_use_id":"t2","is_error":true,"content":[{"type":"text","text":"two"}]},
        {"type":"text","text":"after"}]}]})");
  ASSERT_EQ(request.messages.size(), 4u);
  EXPECT_EQ(request.messages[0].role, Role::kSystem);
  EXPECT_EQ(request.messages[0].content.at(0).text, "sys");
  EXPECT_EQ(request.messages[1].role, Role::kTool);
  EXPECT_EQ(request.messages[1].tool_call_id, "t1");
  EXPECT_FALSE(request.messages[1].is_error);
  EXPECT_EQ(request.messages[2].tool_call_id, "t2");
  EXPECT_TRUE(request.messages[2].is_error);
  EXPECT_EQ(request.messages[3].role, Role::kUser);
  ASSERT_EQ(request.messages[3].content.size(), 2u);
  EXPECT_EQ(request.messages[3].content[0].text, "before");
  EXPECT_EQ(request.messages[3].content[1].text, "after");
}

TEST(MessagesRequestDecoderTest, ReadsAssistantBlocksAndSystemTurns) {
  auto request = Decode(R"({"model":"m","max_tokens":10,"messages":[
      {"role":"system","content":"late system"},
      {"role":"assistant","content":[
        {"type":"thinking","thinking":"hm","signature":"s"},
        {"type":"redacted_thinking","data":"r"},
        {"type":"text","text":"ok"},
        {"type":"tool_use","id":"t","name":"f","input":{"a":[1,2]}}]}]})");
  ASSERT_EQ(request.messages.size(), 2u);
  EXPECT_EQ(request.messages[0].role, Role::kSystem);
  const auto& assistant = request.messages[1];
  ASSERT_EQ(assistant.content.size(), 3u);
  EXPECT_EQ(assistant.content[0].kind, ContentPart::Kind::kThinking);
  EXPECT_EQ(assistant.content[0].data, "s");
  EXPECT_EQ(assistant.content[1].kind, ContentPart::Kind::kRedactedThinking);
  EXPECT_EQ(assistant.tool_calls.at(0).arguments_json, R"({"a":[1,2]})");
}

// The system prompt and each tool_result are canonical messages of their own, so canonical indexes
// differ from the client's: every message and part keeps the client's own path, for errors.
TEST(MessagesRequestDecoderTest, KeepsTheClientsPathOfEveryMessageAndPart) {
  auto request = Decode(R"({"model":"m","max_tokens":10,"system":[{"type":"text","text":"s"}],
      "messages":[
        {"role":"user","content":[{"type":"text","text":"a"},
          {"type":"image","source":{"type":"url","url":"https://x/i.png"}}]},
        {"role":"assistant","content":[{"type":"tool_use","id":"t","name":"f","input":{}}]},
        {"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":"r"},
          {"type":"tool_result","tool_use_id":"u","content":[{"type":"text","text":"r2"}]},
          {"type":"text","text":"b"}]},
        {"role":"user","content":"plain"}]})");
  ASSERT_EQ(request.messages.size(), 7u);
  EXPECT_EQ(request.messages[0].path, "system");
  EXPECT_EQ(request.messages[0].content.at(0).path, "system[0]");
  EXPECT_EQ(request.messages[1].path, "messages[0]");
  EXPECT_EQ(request.messages[1].content.at(1).path, "messages[0].content[1]");
  EXPECT_EQ(request.messages[2].path, "messages[1]");
  EXPECT_EQ(request.messages[3].path, "messages[2].content[0]");
  EXPECT_EQ(request.messages[3].content.at(0).path, "messages[2].content[0].content");
  EXPECT_EQ(request.messages[4].path, "messages[2].content[1]");
  EXPECT_EQ(request.messages[4].content.at(0).path, "messages[2].content[1].content[0]");
  EXPECT_EQ(request.messages[5].path, "messages[2]");
  EXPECT_EQ(request.messages[5].content.at(0).path, "messages[2].content[2]");
  EXPECT_EQ(request.messages[6].content.at(0).path, "messages[3].content");
}

TEST(MessagesRequestDecoderTest, ReadsParameters) {
  auto request = Decode(R"({"model":"m","max_tokens":100,"messages":[],
      "thinking":{"type":"enabled","budget_tokens":2048},"output_config":{"effort":"high"},
      "tool_choice":{"type":"tool","name":"f","disable_parallel_tool_use":true},
      "metadata":{"user_id":"u"},"top_k":5,"stop_sequences":["a","b"],"service_tier":"auto"})");
  EXPECT_EQ(request.dialect, wire::Format::kAnthropic);
  EXPECT_EQ(request.max_tokens, 100);
  EXPECT_EQ(request.reasoning.mode, canonical::Reasoning::Mode::kEnabled);
  EXPECT_EQ(request.reasoning.budget_tokens, 2048);
  EXPECT_EQ(request.reasoning.effort, "high");
  EXPECT_EQ(request.tool_choice.mode, canonical::ToolChoice::Mode::kNamed);
  EXPECT_EQ(request.parallel_tool_calls, false);
  EXPECT_EQ(request.user, "u");
  EXPECT_EQ(request.top_k, 5);
  EXPECT_EQ(request.stop.size(), 2u);
  EXPECT_EQ(request.extra.size(), 1u);
  EXPECT_TRUE(request.extra.contains("service_tier"));
}

TEST(MessagesRequestDecoderTest, RefusalsNameTheField) {
  EXPECT_EQ(RefusedParam(R"({"model":"m","messages":[]})"), "max_tokens");
  EXPECT_EQ(RefusedParam(R"({"model":"m","max_tokens":1,"messages":[{"role":"user"}]})"),
            "messages[0].content");
  EXPECT_EQ(RefusedParam(R"({"model":"m","max_tokens":1,"messages":[{"role":"bot","content":"x"}]})"),
            "messages[0].role");
  EXPECT_EQ(RefusedParam(R"({"model":"m","max_tokens":1,"messages":[{"role":"user","content":[
      {"type":"search_result","source":"x"}]}]})"),
            "messages[0].content[0].type");
  EXPECT_EQ(RefusedParam(R"({"model":"m","max_tokens":1,"messages":[{"role":"user","content":[
      {"type":"image","source":{"type":"file","file_id":"f"}}]}]})"),
            "messages[0].content[0].source.type");
  EXPECT_EQ(RefusedParam(R"({"model":"m","max_tokens":1,"messages":[{"role":"user","content":[
      {"type":"tool_result","content":"x"}]}]})"),
            "messages[0].content[0].tool_use_id");
  EXPECT_EQ(RefusedParam(R"({"model":"m","max_tokens":1,"messages":[],"system":[{"type":"image",
      "source":{"type":"url","url":"https://x"}}]})"),
            "system[0]");
  EXPECT_EQ(RefusedParam(R"({"model":"m","max_tokens":1,"messages":[],"thinking":{"type":"enabled"}})"),
            "thinking.budget_tokens");
  EXPECT_EQ(RefusedParam(R"({"model":"m","max_tokens":1,"messages":[],
      "tools":[{"type":"bash_20250124","name":"bash"}]})"),
            "tools[0].type");
}

}  // namespace
}  // namespace switchyard::inbound::anthropic
