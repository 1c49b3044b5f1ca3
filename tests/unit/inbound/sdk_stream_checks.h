// What the official SDKs require of a stream, checked on an encoder's output: a C++ rendering of
// openai-node's ChatCompletionStream accumulation rules and anthropic-sdk-typescript's
// MessageStream rules (wire-formats.md §1.4, §3.4). Each returns the message the SDK would have
// accumulated, so tests can also check its content.
#pragma once

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>
#include <string>
#include <vector>

#include "unit/canonical/translation_fixtures.h"

namespace switchyard::testing_fixtures {

struct OpenAIAccumulated {
  std::string role;
  std::string content;
  std::string reasoning;
  std::string finish_reason;
  struct Call {
    std::string id, type, name, arguments;
  };
  std::map<std::int64_t, Call> tool_calls;
  bool saw_done = false;
  bool saw_error = false;
  bool saw_usage_chunk = false;
  boost::json::value usage;
};

// ChatCompletionStream's rules for choice 0; `include_usage`: the client asked for usage.
inline OpenAIAccumulated CheckOpenAIStream(std::string_view stream, bool include_usage) {
  OpenAIAccumulated acc;
  bool first = true;
  for (const ClientEvent& event : ParseClientSse(stream)) {
    EXPECT_FALSE(acc.saw_done) << "data after [DONE]";
    EXPECT_FALSE(acc.saw_error) << "data after an error";
    EXPECT_TRUE(event.event.empty()) << "OpenAI streams have no event: lines";
    if (event.data == "[DONE]") {
      acc.saw_done = true;
      continue;
    }
    const boost::json::value chunk = ParseJson(event.data);
    if (chunk.as_object().contains("error")) {
      acc.saw_error = true;
      EXPECT_TRUE(chunk.at("error").as_object().contains("message"));
      continue;
    }
    EXPECT_EQ(chunk.at("object"), "chat.completion.chunk");
    const auto& choices = chunk.at("choices").as_array();
    if (include_usage) {
      EXPECT_TRUE(chunk.as_object().contains("usage")) << event.data;
    } else {
      EXPECT_FALSE(chunk.as_object().contains("usage")) << event.data;
    }
    if (choices.empty()) {
      EXPECT_TRUE(include_usage) << "a usage chunk the client did not ask for";
      EXPECT_FALSE(acc.finish_reason.empty()) << "usage chunk before the finish chunk";
      acc.saw_usage_chunk = true;
      acc.usage = chunk.at("usage");
      continue;
    }
    EXPECT_FALSE(acc.saw_usage_chunk) << "choices after the usage chunk";
    const auto& choice = choices.at(0).as_object();
    EXPECT_EQ(choice.at("index"), 0);
    EXPECT_TRUE(choice.contains("logprobs"));
    EXPECT_TRUE(choice.contains("finish_reason"));
    const auto& delta = choice.at("delta").as_object();
    if (first) {
      EXPECT_EQ(delta.at("role"), "assistant") << "the first chunk must carry the role";
      first = false;
    }
    if (const auto* role = delta.if_contains("role")) acc.role = role->as_string().c_str();
    if (const auto* c = delta.if_contains("content"); c && c->is_string()) acc.content += c->as_string().c_str();
    if (const auto* r = delta.if_contains("reasoning_content")) acc.reasoning += r->as_string().c_str();
    if (const auto* calls = delta.if_contains("tool_calls")) {
      for (const auto& call_value : calls->as_array()) {
        const auto& call = call_value.as_object();
        const std::int64_t index = call.at("index").as_int64();
        const bool is_new = !acc.tool_calls.contains(index);
        OpenAIAccumulated::Call& out = acc.tool_calls[index];
        if (is_new) {
          EXPECT_TRUE(call.contains("id")) << "first fragment without id";
          EXPECT_EQ(call.at("type"), "function") << "missing choices[0].tool_calls[j].type";
          EXPECT_TRUE(call.at("function").as_object().contains("name"))
              << "missing choices[0].tool_calls[j].function.name";
        }
        if (const auto* id = call.if_contains("id")) out.id = id->as_string().c_str();
        if (const auto* type = call.if_contains("type")) out.type = type->as_string().c_str();
        if (const auto* fn = call.if_contains("function")) {
          if (const auto* name = fn->as_object().if_contains("name")) out.name = name->as_string().c_str();
          if (const auto* args = fn->as_object().if_contains("arguments")) {
            out.arguments += args->as_string().c_str();
          }
        }
      }
    }
    if (const auto& reason = choice.at("finish_reason"); !reason.is_null()) {
      EXPECT_TRUE(acc.finish_reason.empty()) << "two finish chunks";
      acc.finish_reason = reason.as_string().c_str();
      EXPECT_TRUE(delta.empty()) << "the finish chunk's delta is {}";
    }
  }
  if (!acc.saw_error) {
    EXPECT_TRUE(acc.saw_done) << "no [DONE]";
    EXPECT_FALSE(acc.finish_reason.empty()) << "missing finish_reason for choice 0";
    EXPECT_EQ(acc.saw_usage_chunk, include_usage);
    for (const auto& [index, call] : acc.tool_calls) {
      boost::system::error_code ec;
      (void)boost::json::parse(call.arguments.empty() ? "{}" : call.arguments, ec);
      EXPECT_FALSE(ec) << "tool call " << index << " arguments are not JSON: " << call.arguments;
    }
  }
  return acc;
}

struct AnthropicAccumulated {
  boost::json::array content;  // the blocks as MessageStream builds them
  std::string stop_reason;
  boost::json::value stop_sequence;
  boost::json::object usage;  // message_start's, overwritten by message_delta's
  bool saw_stop = false;
  bool saw_error = false;
};

// MessageStream's rules: message_start first, blocks 0, 1, ... one at a time, deltas of the
// block's own kind, message_delta with usage.output_tokens, message_stop last; `event:` lines
// always present and equal to the data's type.
inline AnthropicAccumulated CheckAnthropicStream(std::string_view stream) {
  AnthropicAccumulated acc;
  bool started = false;
  int open = -1;
  std::map<int, std::string> partial_json;
  for (const ClientEvent& event : ParseClientSse(stream)) {
    EXPECT_FALSE(acc.saw_stop) << "events after message_stop";
    EXPECT_FALSE(acc.saw_error) << "events after an error";
    const boost::json::value data = ParseJson(event.data);
    EXPECT_EQ(data.at("type"), boost::json::value(event.event)) << "event: line and type differ";
    if (event.event == "ping") continue;
    if (event.event == "error") {
      acc.saw_error = true;
      EXPECT_TRUE(data.at("error").as_object().contains("type"));
      continue;
    }
    if (!started) {
      EXPECT_EQ(event.event, "message_start") << "the first event must be message_start";
      started = true;
      acc.usage = data.at("message").at("usage").as_object();
      EXPECT_TRUE(data.at("message").at("content").as_array().empty());
      continue;
    }
    EXPECT_NE(event.event, "message_start") << "a second message_start";
    if (event.event == "content_block_start") {
      EXPECT_EQ(open, -1) << "a block started while another is open";
      open = static_cast<int>(data.at("index").as_int64());
      EXPECT_EQ(open, static_cast<int>(acc.content.size())) << "block indices must be 0, 1, 2, ...";
      acc.content.push_back(data.at("content_block"));
    } else if (event.event == "content_block_delta") {
      EXPECT_EQ(data.at("index").as_int64(), open) << "a delta for a block that is not open";
      if (open < 0) continue;
      auto& block = acc.content[open].as_object();
      const auto& delta = data.at("delta").as_object();
      const std::string type = delta.at("type").as_string().c_str();
      const std::string kind = block.at("type").as_string().c_str();
      if (type == "text_delta") {
        EXPECT_EQ(kind, "text");
        block["text"] = std::string(block["text"].as_string().c_str()) + delta.at("text").as_string().c_str();
      } else if (type == "thinking_delta") {
        EXPECT_EQ(kind, "thinking");
        block["thinking"] =
            std::string(block["thinking"].as_string().c_str()) + delta.at("thinking").as_string().c_str();
      } else if (type == "signature_delta") {
        EXPECT_EQ(kind, "thinking");
        block["signature"] = delta.at("signature");
      } else if (type == "input_json_delta") {
        EXPECT_EQ(kind, "tool_use");
        partial_json[open] += delta.at("partial_json").as_string().c_str();
      } else {
        ADD_FAILURE() << "unknown delta type " << type;
      }
    } else if (event.event == "content_block_stop") {
      EXPECT_EQ(data.at("index").as_int64(), open);
      if (open >= 0 && acc.content[open].at("type") == "tool_use") {
        const std::string& json_text = partial_json[open];
        acc.content[open].as_object()["input"] =
            json_text.empty() ? boost::json::value(boost::json::object()) : ParseJson(json_text);
      }
      open = -1;
    } else if (event.event == "message_delta") {
      EXPECT_EQ(open, -1) << "message_delta while a block is open";
      const auto& usage = data.at("usage").as_object();
      EXPECT_TRUE(usage.contains("output_tokens")) << "message_delta.usage.output_tokens is required";
      for (const auto& [key, value] : usage) acc.usage[key] = value;
      acc.stop_reason = data.at("delta").at("stop_reason").as_string().c_str();
      acc.stop_sequence = data.at("delta").at("stop_sequence");
    } else if (event.event == "message_stop") {
      acc.saw_stop = true;
    } else {
      ADD_FAILURE() << "unknown event " << event.event;
    }
  }
  EXPECT_TRUE(started);
  if (!acc.saw_error) {
    EXPECT_TRUE(acc.saw_stop) << "no message_stop";
    EXPECT_FALSE(acc.stop_reason.empty()) << "no message_delta";
  }
  return acc;
}

}  // namespace switchyard::testing_fixtures
