// Golden checks for the Gemini wire format. Requests come from OpenAI (and some Anthropic) client
// bodies — several reuse the OpenAI client bodies under tests/fixtures/anthropic/ — and the
// encoded Gemini body is compared, parsed, with the expected JSON written here. Gemini responses
// and SSE streams (written here, in the shapes of wire-formats.md §4.3–4.4) are decoded and
// compared with the expected canonical message or event lines; streams are also fed to both
// client stream encoders and checked against the SDKs' rules.
#include <gtest/gtest.h>

#include "inbound/anthropic/messages_codec.h"
#include "inbound/anthropic/messages_request_decoder.h"
#include "inbound/openai/chat_codec.h"
#include "inbound/openai/chat_request_decoder.h"
#include "providers/gemini/gemini_request_encoder.h"
#include "providers/gemini/gemini_response_decoder.h"
#include "providers/gemini/gemini_stream_decoder.h"
#include "unit/canonical/translation_fixtures.h"
#include "unit/inbound/sdk_stream_checks.h"

namespace switchyard::providers::gemini {
namespace {

using namespace ::switchyard::testing_fixtures;
using canonical::ContentPart;
using canonical::FinishReason;

Result<canonical::EncodedBody> FromOpenAI(std::string_view client_body) {
  auto request = inbound::openai::DecodeChatRequest(client_body);
  if (!request) return request.error();
  return EncodeGeminiRequest(*request);
}

Result<canonical::EncodedBody> FromAnthropic(std::string_view client_body) {
  auto request = inbound::anthropic::DecodeMessagesRequest(client_body);
  if (!request) return request.error();
  return EncodeGeminiRequest(*request);
}

void ExpectBody(const Result<canonical::EncodedBody>& encoded, std::string_view want,
                const std::vector<std::string>& dropped = {}) {
  ASSERT_TRUE(encoded.ok()) << encoded.error().message;
  const boost::json::value got = ParseJson(encoded->body);
  const boost::json::value expected = ParseJson(want);
  EXPECT_TRUE(JsonEqual(got, expected)) << "--- got:\n"
                                        << PrettyString(got) << "--- want:\n"
                                        << PrettyString(expected);
  EXPECT_EQ(encoded->dropped_params, dropped);
}

void ExpectRefused(const Result<canonical::EncodedBody>& encoded, std::string_view param,
                   std::string_view message_part) {
  ASSERT_FALSE(encoded.ok()) << encoded->body;
  EXPECT_EQ(encoded.error().http_status, 400);
  EXPECT_EQ(encoded.error().param, param);
  EXPECT_NE(encoded.error().message.find(message_part), std::string::npos) << encoded.error().message;
}

// --- Requests ---

TEST(GeminiGoldenTest, SystemPromptsAndSamplingFromAnOpenAIClient) {
  ExpectBody(FromOpenAI(ReadFixture("anthropic/basic_text.request.json")), R"json({
    "systemInstruction": {"parts": [{"text": "You are terse.\n\nAnswer in French."}]},
    "contents": [{"role": "user", "parts": [{"text": "Weather in Paris?"}]}],
    "generationConfig": {"seed": 7, "maxOutputTokens": 300, "temperature": 0.7, "topP": 1,
                         "stopSequences": ["END"]}
  })json", {"store", "user"});
}

TEST(GeminiGoldenTest, SystemPromptsAnywhereAreHoistedAndSameRoleTurnsMerged) {
  ExpectBody(FromOpenAI(R"json({"model": "g", "messages": [
    {"role": "system", "content": "A"},
    {"role": "user", "content": "one"},
    {"role": "user", "content": [{"type": "text", "text": "two"}]},
    {"role": "assistant", "content": "x"},
    {"role": "assistant", "content": "y"},
    {"role": "developer", "content": "B"},
    {"role": "user", "content": "three", "name": "bob"}
  ]})json"), R"json({
    "systemInstruction": {"parts": [{"text": "A\n\nB"}]},
    "contents": [
      {"role": "user", "parts": [{"text": "one"}, {"text": "two"}]},
      {"role": "model", "parts": [{"text": "x"}, {"text": "y"}]},
      {"role": "user", "parts": [{"text": "three"}]}
    ]
  })json", {"messages[].name"});
}

TEST(GeminiGoldenTest, MultipleToolCallsInOneTurnAndTheirResults) {
  ExpectBody(FromOpenAI(ReadFixture("anthropic/multiple_tool_calls.request.json")), R"json({
    "contents": [
      {"role": "user", "parts": [{"text": "Weather in Paris and Rome?"}]},
      {"role": "model", "parts": [
        {"functionCall": {"name": "get_weather", "args": {"city": "Paris"}},
         "thoughtSignature": "skip_thought_signature_validator"},
        {"functionCall": {"name": "get_weather", "args": {"city": "Rome"}}}]},
      {"role": "user", "parts": [
        {"functionResponse": {"name": "get_weather", "response": {"output": "18C"}}},
        {"functionResponse": {"name": "get_weather", "response": {"output": "21C"}}},
        {"text": "Which is warmer?"}]}
    ],
    "tools": [{"functionDeclarations": [
      {"name": "get_weather", "description": "Current weather",
       "parametersJsonSchema": {"type": "object", "properties": {"city": {"type": "string"}},
                                "required": ["city"]}},
      {"name": "no_params"}]}],
    "toolConfig": {"functionCallingConfig": {"mode": "ANY"}}
  })json", {"tools[].function.strict", "parallel_tool_calls"});
}

TEST(GeminiGoldenTest, EmptyContentVanishesAndEmptyArgumentsAreAnObject) {
  ExpectBody(FromOpenAI(ReadFixture("anthropic/empty_content.request.json")), R"json({
    "contents": [
      {"role": "user", "parts": [{"text": "Go on."}]},
      {"role": "model", "parts": [{"functionCall": {"name": "lookup", "args": {}},
                                   "thoughtSignature": "skip_thought_signature_validator"}]},
      {"role": "user", "parts": [
        {"functionResponse": {"name": "lookup", "response": {"output": ""}}},
        {"text": "Thanks."}]}
    ]
  })json");
}

TEST(GeminiGoldenTest, AnImageUrlIsRefusedNamingThePart) {
  ExpectRefused(FromOpenAI(ReadFixture("anthropic/images_and_files.request.json")),
                "messages[0].content[2].image_url", "inline data only");
  ExpectRefused(FromAnthropic(R"json({"model": "g", "max_tokens": 5, "messages": [
    {"role": "user", "content": [{"type": "image", "source": {"type": "url", "url": "https://x/y.png"}}]}
  ]})json"), "messages[0].content[0].source", "not as URLs");
}

TEST(GeminiGoldenTest, InlineImagesAndDocumentsBecomeInlineData) {
  ExpectBody(FromOpenAI(R"json({"model": "g", "messages": [{"role": "user", "content": [
    {"type": "text", "text": "Compare these."},
    {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo=", "detail": "high"}},
    {"type": "file", "file": {"filename": "report.pdf", "file_data": "data:application/pdf;base64,JVBERi0xLjQ="}}
  ]}]})json"), R"json({
    "contents": [{"role": "user", "parts": [
      {"text": "Compare these."},
      {"inlineData": {"mimeType": "image/png", "data": "iVBORw0KGgo="}},
      {"inlineData": {"mimeType": "application/pdf", "data": "JVBERi0xLjQ="}}]}]
  })json", {"messages[].content[].image_url.detail", "messages[].content[].file.filename"});
}

TEST(GeminiGoldenTest, ToolResultsFromAnAnthropicClient) {
  ExpectBody(FromAnthropic(R"json({
    "model": "g", "max_tokens": 512, "system": "Be careful.",
    "metadata": {"user_id": "u-1"},
    "thinking": {"type": "enabled", "budget_tokens": 2000},
    "tools": [{"name": "read_file", "input_schema": {"type": "object"}, "cache_control": {"type": "ephemeral"}},
              {"name": "stat", "description": "File size", "input_schema": {"type": "object", "additionalProperties": false}}],
    "tool_choice": {"type": "tool", "name": "stat", "disable_parallel_tool_use": true},
    "messages": [
      {"role": "user", "content": "Read it"},
      {"role": "assistant", "content": [
        {"type": "text", "text": "Reading."},
        {"type": "tool_use", "id": "toolu_1", "name": "read_file", "input": {"path": "a.txt"}},
        {"type": "tool_use", "id": "toolu_2", "name": "stat", "input": {"path": "a.txt"}}]},
      {"role": "user", "content": [
        {"type": "tool_result", "tool_use_id": "toolu_1", "is_error": true, "content": "ENOENT"},
        {"type": "tool_result", "tool_use_id": "toolu_2", "content": [
          {"type": "text", "text": "{\"size\": 12}"},
          {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBO"}}]},
        {"type": "text", "text": "Now?"}]}
    ]})json"), R"json({
    "systemInstruction": {"parts": [{"text": "Be careful."}]},
    "contents": [
      {"role": "user", "parts": [{"text": "Read it"}]},
      {"role": "model", "parts": [
        {"text": "Reading."},
        {"functionCall": {"name": "read_file", "args": {"path": "a.txt"}},
         "thoughtSignature": "skip_thought_signature_validator"},
        {"functionCall": {"name": "stat", "args": {"path": "a.txt"}}}]},
      {"role": "user", "parts": [
        {"functionResponse": {"name": "read_file", "response": {"error": "ENOENT"}}},
        {"functionResponse": {"name": "stat", "response": {"size": 12}}},
        {"inlineData": {"mimeType": "image/png", "data": "iVBO"}},
        {"text": "Now?"}]}
    ],
    "tools": [{"functionDeclarations": [
      {"name": "read_file", "parametersJsonSchema": {"type": "object"}},
      {"name": "stat", "description": "File size",
       "parametersJsonSchema": {"type": "object", "additionalProperties": false}}]}],
    "toolConfig": {"functionCallingConfig": {"mode": "ANY", "allowedFunctionNames": ["stat"]}},
    "generationConfig": {"maxOutputTokens": 512,
                         "thinkingConfig": {"thinkingBudget": 2000, "includeThoughts": true}}
  })json", {"cache_control", "metadata.user_id", "tool_choice.disable_parallel_tool_use"});
}

TEST(GeminiGoldenTest, ToolResultNamesComeFromTheNearestEarlierCall) {
  // Gemini-made ids repeat across responses without a responseId ("call_0" each time).
  ExpectBody(FromOpenAI(R"json({"model": "g", "messages": [
    {"role": "user", "content": "go"},
    {"role": "assistant", "tool_calls": [{"id": "call_0", "type": "function", "function": {"name": "first", "arguments": "{}"}}]},
    {"role": "tool", "tool_call_id": "call_0", "content": "1"},
    {"role": "assistant", "tool_calls": [{"id": "call_0", "type": "function", "function": {"name": "second", "arguments": "not json"}}]},
    {"role": "tool", "tool_call_id": "call_0", "content": "[1, 2]"}
  ]})json"), R"json({
    "contents": [
      {"role": "user", "parts": [{"text": "go"}]},
      {"role": "model", "parts": [{"functionCall": {"name": "first", "args": {}},
                                   "thoughtSignature": "skip_thought_signature_validator"}]},
      {"role": "user", "parts": [{"functionResponse": {"name": "first", "response": {"output": "1"}}}]},
      {"role": "model", "parts": [{"functionCall": {"name": "second", "args": {}},
                                   "thoughtSignature": "skip_thought_signature_validator"}]},
      {"role": "user", "parts": [{"functionResponse": {"name": "second", "response": {"output": "[1, 2]"}}}]}
    ]
  })json");
  ExpectRefused(FromOpenAI(R"json({"model": "g", "messages": [
    {"role": "user", "content": "go"}, {"role": "tool", "tool_call_id": "call_9", "content": "x"}]})json"),
                "messages[1].tool_call_id", "matches tool results to calls by function name");
}

TEST(GeminiGoldenTest, GeminiThoughtSignaturesGoBackWhereTheyCameFrom) {
  // An OpenAI client echoes thinking_blocks, which its decoder puts before the text: the last
  // signature belongs to the first call, the other one to the text.
  ExpectBody(FromOpenAI(R"json({"model": "g", "messages": [
    {"role": "user", "content": "Weather?"},
    {"role": "assistant", "content": "Let me check.",
     "thinking_blocks": [{"type": "thinking", "thinking": "Plan.", "signature": ""},
                         {"type": "thinking", "thinking": "", "signature": "gemini:U0lHX1RFWFQ="},
                         {"type": "thinking", "thinking": "", "signature": "gemini:U0lHX0NBTEw="}],
     "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "w", "arguments": "{}"}},
                    {"id": "c2", "type": "function", "function": {"name": "w", "arguments": "{}"}}]},
    {"role": "tool", "tool_call_id": "c1", "content": "{\"t\": 18}"},
    {"role": "tool", "tool_call_id": "c2", "content": "{\"t\": 19}"},
    {"role": "assistant", "content": "Done.",
     "thinking_blocks": [{"type": "thinking", "thinking": "", "signature": "gemini:RU5E"}]}
  ]})json"), R"json({
    "contents": [
      {"role": "user", "parts": [{"text": "Weather?"}]},
      {"role": "model", "parts": [
        {"text": "Let me check.", "thoughtSignature": "U0lHX1RFWFQ="},
        {"functionCall": {"name": "w", "args": {}}, "thoughtSignature": "U0lHX0NBTEw="},
        {"functionCall": {"name": "w", "args": {}}}]},
      {"role": "user", "parts": [
        {"functionResponse": {"name": "w", "response": {"t": 18}}},
        {"functionResponse": {"name": "w", "response": {"t": 19}}}]},
      {"role": "model", "parts": [{"text": "Done.", "thoughtSignature": "RU5E"}]}
    ]
  })json", {"messages[].content[].thinking"});
}

TEST(GeminiGoldenTest, OtherProvidersReasoningIsNeverForwarded) {
  ExpectBody(FromOpenAI(ReadFixture("anthropic/thinking_round_trip.request.json")), R"json({
    "contents": [
      {"role": "user", "parts": [{"text": "Weather?"}]},
      {"role": "model", "parts": [{"functionCall": {"name": "get_weather", "args": {"city": "Paris"}},
                                   "thoughtSignature": "skip_thought_signature_validator"}]},
      {"role": "user", "parts": [{"functionResponse": {"name": "get_weather", "response": {"output": "18C"}}}]}
    ],
    "tools": [{"functionDeclarations": [{"name": "get_weather", "parametersJsonSchema":
      {"type": "object", "properties": {"city": {"type": "string"}}}}]}],
    "generationConfig": {"maxOutputTokens": 5000,
                         "thinkingConfig": {"thinkingBudget": 1024, "includeThoughts": true}}
  })json", {"messages[].content[].thinking"});
}

TEST(GeminiGoldenTest, ToolChoiceVariants) {
  const std::string tools =
      R"("tools": [{"type": "function", "function": {"name": "a"}},
                   {"type": "function", "function": {"name": "b", "parameters": {"type": "object"}}}])";
  auto encode = [&](std::string_view choice) {
    return FromOpenAI(fmt::format(R"({{"model": "g", "messages": [{{"role": "user", "content": "x"}}], {}{}}})",
                                  tools, choice));
  };
  const std::string contents = R"("contents": [{"role": "user", "parts": [{"text": "x"}]}])";
  const std::string both =
      R"("tools": [{"functionDeclarations": [{"name": "a"}, {"name": "b", "parametersJsonSchema": {"type": "object"}}]}])";
  auto body = [&](std::string_view declarations, std::string_view config) {
    return fmt::format("{{{}, {}{}}}", contents, declarations, config);
  };
  ExpectBody(encode(""), body(both, ""));
  ExpectBody(encode(R"(, "tool_choice": "auto")"),
             body(both, R"(, "toolConfig": {"functionCallingConfig": {"mode": "AUTO"}})"));
  ExpectBody(encode(R"(, "tool_choice": "none")"),
             body(both, R"(, "toolConfig": {"functionCallingConfig": {"mode": "NONE"}})"));
  ExpectBody(encode(R"(, "tool_choice": "required")"),
             body(both, R"(, "toolConfig": {"functionCallingConfig": {"mode": "ANY"}})"));
  ExpectBody(encode(R"(, "tool_choice": {"type": "function", "function": {"name": "a"}})"),
             body(both, R"(, "toolConfig": {"functionCallingConfig": {"mode": "ANY", "allowedFunctionNames": ["a"]}})"));
  const std::string only_b =
      R"("tools": [{"functionDeclarations": [{"name": "b", "parametersJsonSchema": {"type": "object"}}]}])";
  ExpectBody(encode(R"(, "tool_choice": {"type": "allowed_tools", "allowed_tools": {"mode": "required",
                       "tools": [{"type": "function", "function": {"name": "b"}}]}})"),
             body(only_b, R"(, "toolConfig": {"functionCallingConfig": {"mode": "ANY", "allowedFunctionNames": ["b"]}})"));
  ExpectBody(FromOpenAI(ReadFixture("anthropic/named_tool_choice.request.json")), R"json({
    "contents": [{"role": "user", "parts": [{"text": "Use the tool."}]}],
    "tools": [{"functionDeclarations": [{"name": "b", "parametersJsonSchema": {"type": "object"}}]}],
    "toolConfig": {"functionCallingConfig": {"mode": "AUTO"}}
  })json");
  ExpectRefused(encode(R"(, "tool_choice": {"type": "function", "function": {"name": "zz"}})"),
                "tool_choice", "not in tools");
  ExpectRefused(FromOpenAI(R"({"model": "g", "messages": [{"role": "user", "content": "x"}], "tool_choice": "required"})"),
                "tool_choice", "requires tools");
  // Without tools, auto and none mean nothing.
  ExpectBody(FromOpenAI(R"({"model": "g", "messages": [{"role": "user", "content": "x"}], "tool_choice": "none"})"),
             fmt::format("{{{}}}", contents));
}

TEST(GeminiGoldenTest, StructuredOutput) {
  ExpectBody(FromOpenAI(ReadFixture("anthropic/json_schema.request.json")), R"json({
    "contents": [{"role": "user", "parts": [{"text": "Give me a city."}]}],
    "generationConfig": {"responseMimeType": "application/json", "responseJsonSchema":
      {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"],
       "additionalProperties": false}}
  })json");
  ExpectBody(FromOpenAI(ReadFixture("anthropic/json_object.request.json")), R"json({
    "contents": [{"role": "user", "parts": [{"text": "Give me JSON."}]}],
    "generationConfig": {"responseMimeType": "application/json"}
  })json");
}

TEST(GeminiGoldenTest, ReasoningAndOpenAIExtras) {
  ExpectBody(FromOpenAI(ReadFixture("anthropic/reasoning_effort.request.json")), R"json({
    "contents": [{"role": "user", "parts": [{"text": "Think hard."}]}],
    "generationConfig": {"thinkingConfig": {"thinkingBudget": 4096, "includeThoughts": true}}
  })json");
  ExpectBody(FromOpenAI(R"({"model": "g", "messages": [{"role": "user", "content": "x"}],
      "reasoning_effort": "none", "presence_penalty": 0.5, "frequency_penalty": -1, "top_k": 3,
      "service_tier": "auto"})"), R"json({
    "contents": [{"role": "user", "parts": [{"text": "x"}]}],
    "generationConfig": {"presencePenalty": 0.5, "frequencyPenalty": -1, "topK": 3,
                         "thinkingConfig": {"thinkingBudget": 0}}
  })json", {"service_tier"});
  ExpectBody(FromAnthropic(R"({"model": "g", "max_tokens": 9, "messages": [{"role": "user", "content": "x"}],
      "thinking": {"type": "adaptive"}, "service_tier": "auto"})"), R"json({
    "contents": [{"role": "user", "parts": [{"text": "x"}]}],
    "generationConfig": {"maxOutputTokens": 9,
                         "thinkingConfig": {"thinkingBudget": -1, "includeThoughts": true}}
  })json", {"service_tier"});
}

TEST(GeminiGoldenTest, FieldsTheAnswerCannotCarryAreRefused) {
  ExpectRefused(FromOpenAI(ReadFixture("anthropic/n_two.request.json")), "n", "one choice");
  ExpectRefused(FromOpenAI(ReadFixture("anthropic/logprobs.request.json")), "logprobs",
                "log probabilities");
  ExpectRefused(FromOpenAI(R"({"model": "g", "messages": [{"role": "user", "content": "x"}], "reasoning_effort": "huge"})"),
                "reasoning_effort", "unknown effort");
  ExpectRefused(FromOpenAI(R"({"model": "g", "messages": [{"role": "user", "content": "x"}], "seed": 1.5})"),
                "seed", "integer");
  ExpectRefused(FromAnthropic(R"({"model": "g", "max_tokens": 9, "messages": [{"role": "user", "content": "x"}],
      "mcp_servers": [{"url": "https://x"}]})"), "mcp_servers", "not available");
}

// --- Responses ---

TEST(GeminiGoldenTest, ResponseWithThoughtsTextAndUsage) {
  auto response = DecodeGeminiResponse(R"json({
    "candidates": [{"content": {"role": "model", "parts": [
        {"text": "Thinking summary...", "thought": true},
        {"text": "Hello", "thoughtSignature": "U0lH"}]},
      "finishReason": "STOP", "index": 0, "safetyRatings": []}],
    "usageMetadata": {"promptTokenCount": 120, "cachedContentTokenCount": 64, "candidatesTokenCount": 12,
                      "thoughtsTokenCount": 80, "totalTokenCount": 212},
    "modelVersion": "gemini-2.5-flash", "responseId": "abc123"})json");
  ASSERT_TRUE(response.ok()) << response.error().message;
  EXPECT_EQ(response->id, "abc123");
  EXPECT_EQ(response->model, "gemini-2.5-flash");
  ASSERT_EQ(response->message.content.size(), 3u);
  EXPECT_EQ(response->message.content[0].kind, ContentPart::Kind::kThinking);
  EXPECT_EQ(response->message.content[0].text, "Thinking summary...");
  EXPECT_EQ(response->message.content[0].data, "");
  EXPECT_EQ(response->message.content[1].kind, ContentPart::Kind::kThinking);
  EXPECT_EQ(response->message.content[1].data, "gemini:U0lH");
  EXPECT_EQ(response->message.content[2].kind, ContentPart::Kind::kText);
  EXPECT_EQ(response->message.content[2].text, "Hello");
  EXPECT_EQ(response->finish_reason, FinishReason::kStop);
  EXPECT_EQ(UsageText(response->usage), "in=56 cached=64 w5m=0 w1h=0 out=92 reasoning=80");
  EXPECT_TRUE(response->usage.reported);

  response->created = 1700000000;
  const boost::json::value client = ParseJson(inbound::openai::ChatCodec().EncodeResponse(*response));
  const boost::json::value& message = client.at("choices").at(0).at("message");
  EXPECT_EQ(message.at("content"), "Hello");
  EXPECT_EQ(message.at("reasoning_content"), "Thinking summary...");
  EXPECT_EQ(client.at("usage").at("prompt_tokens"), 120);
  EXPECT_EQ(client.at("usage").at("completion_tokens"), 92);
}

TEST(GeminiGoldenTest, ResponseWithParallelCallsEndsInToolCalls) {
  auto response = DecodeGeminiResponse(R"json({
    "candidates": [{"content": {"role": "model", "parts": [
        {"functionCall": {"name": "get_weather", "args": {"city": "Paris"}}, "thoughtSignature": "Q0FMTA=="},
        {"functionCall": {"name": "get_weather", "args": {"city": "Rome"}}},
        {"functionCall": {"id": "fc-7", "name": "now"}}]},
      "finishReason": "STOP"}],
    "responseId": "r9"})json");
  ASSERT_TRUE(response.ok());
  const auto& calls = response->message.tool_calls;
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_EQ(calls[0].id, "call_r9_0");
  EXPECT_EQ(calls[0].name, "get_weather");
  EXPECT_EQ(calls[0].arguments_json, R"({"city":"Paris"})");
  EXPECT_EQ(calls[1].id, "call_r9_1");
  EXPECT_EQ(calls[2].id, "fc-7");  // Gemini's own id is kept
  EXPECT_EQ(calls[2].arguments_json, "{}");
  ASSERT_EQ(response->message.content.size(), 1u);
  EXPECT_EQ(response->message.content[0].data, "gemini:Q0FMTA==");
  EXPECT_EQ(response->finish_reason, FinishReason::kToolCalls);
  EXPECT_FALSE(response->usage.reported);

  // Decoded and encoded again, the signature lands on the first call.
  canonical::ChatRequest request;
  request.messages.push_back(canonical::Message{});
  request.messages[0].content.push_back(ContentPart{});
  request.messages[0].content[0].text = "Weather?";
  request.messages.push_back(response->message);
  auto encoded = EncodeGeminiRequest(request);
  ASSERT_TRUE(encoded.ok());
  const boost::json::value body = ParseJson(encoded->body);
  const auto& parts = body.at("contents").at(1).at("parts").as_array();
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0].at("thoughtSignature"), "Q0FMTA==");
  EXPECT_FALSE(parts[1].as_object().contains("thoughtSignature"));
}

TEST(GeminiGoldenTest, EmptyAndBlockedResponses) {
  auto empty = DecodeGeminiResponse(
      R"({"candidates": [{"content": {"role": "model"}, "finishReason": "STOP"}], "usageMetadata": {"promptTokenCount": 3}})");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->message.content.empty());
  EXPECT_TRUE(empty->message.tool_calls.empty());
  EXPECT_EQ(empty->finish_reason, FinishReason::kStop);
  EXPECT_EQ(UsageText(empty->usage), "in=3 cached=0 w5m=0 w1h=0 out=0 reasoning=0");

  auto blocked = DecodeGeminiResponse(
      R"({"promptFeedback": {"blockReason": "SAFETY"}, "usageMetadata": {"promptTokenCount": 5, "totalTokenCount": 5}})");
  ASSERT_TRUE(blocked.ok());
  EXPECT_TRUE(blocked->message.content.empty());
  EXPECT_EQ(blocked->finish_reason, FinishReason::kContentFilter);
  EXPECT_EQ(blocked->usage.input_tokens, 5);
}

TEST(GeminiGoldenTest, FinishReasons) {
  auto finish = [](std::string_view reason) {
    auto response = DecodeGeminiResponse(fmt::format(
        R"({{"candidates": [{{"content": {{"parts": [{{"text": "x"}}]}}, "finishReason": "{}"}}]}})", reason));
    EXPECT_TRUE(response.ok());
    return response ? response->finish_reason : FinishReason::kUnknown;
  };
  EXPECT_EQ(finish("STOP"), FinishReason::kStop);
  EXPECT_EQ(finish("MAX_TOKENS"), FinishReason::kLength);
  for (std::string_view filtered : {"SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII",
                                    "LANGUAGE", "IMAGE_SAFETY"}) {
    EXPECT_EQ(finish(filtered), FinishReason::kContentFilter) << filtered;
  }
  EXPECT_EQ(finish("MALFORMED_FUNCTION_CALL"), FinishReason::kError);
  EXPECT_EQ(finish("OTHER"), FinishReason::kUnknown);
  EXPECT_EQ(finish("SOMETHING_NEW"), FinishReason::kUnknown);
}

TEST(GeminiGoldenTest, WhatIsNotAGeminiResponseIsAProtocolError) {
  for (std::string_view body : {"", "nope", "[]", "{}", R"({"candidates": 3})", R"({"foo": 1})",
                                R"({"error": {"code": 500, "message": "boom", "status": "INTERNAL"}})"}) {
    auto response = DecodeGeminiResponse(body);
    ASSERT_FALSE(response.ok()) << body;
    EXPECT_EQ(response.error().kind, ErrorKind::kUpstreamProtocol) << body;
  }
}

// --- Streams ---

std::vector<canonical::StreamEvent> Decode(std::string_view stream) {
  GeminiStreamDecoder whole;
  std::vector<canonical::StreamEvent> events = DecodeSse(whole, stream, false);
  GeminiStreamDecoder bytewise;
  EXPECT_EQ(EventsText(DecodeSse(bytewise, stream, true)), EventsText(events));
  EXPECT_EQ(UsageText(bytewise.usage()), UsageText(whole.usage()));
  EXPECT_EQ(bytewise.saw_end(), whole.saw_end());
  return events;
}

std::string ToOpenAIClient(const std::vector<canonical::StreamEvent>& events) {
  inbound::StreamEncoderOptions options;
  options.model = "fallback-model";
  options.id = "chatcmpl-fallback";
  options.created = 1700000000;
  options.include_usage = true;
  auto encoder = inbound::openai::ChatCodec().NewStreamEncoder(options);
  std::string out;
  for (const canonical::StreamEvent& event : events) encoder->Encode(event, out);
  encoder->Finish(out, "");
  return out;
}

std::string ToAnthropicClient(const std::vector<canonical::StreamEvent>& events) {
  inbound::StreamEncoderOptions options;
  options.model = "fallback-model";
  options.id = "msg_fallback";
  auto encoder = inbound::anthropic::MessagesCodec().NewStreamEncoder(options);
  std::string out;
  for (const canonical::StreamEvent& event : events) encoder->Encode(event, out);
  encoder->Finish(out, "");
  return out;
}

TEST(GeminiGoldenTest, StreamWithInterleavedThinkingAndUsageOnlyInTheLastChunk) {
  const std::string stream =
      "data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Let me think\",\"thought\":true}]},\"index\":0}],\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"r1\"}\r\n\r\n"
      "data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\" more.\",\"thought\":true}]},\"index\":0}],\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"r1\"}\r\n\r\n"
      "data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Héllo \"}]},\"index\":0}],\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"r1\"}\r\n\r\n"
      "data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"a second thought\",\"thought\":true}]},\"index\":0}],\"responseId\":\"r1\"}\r\n\r\n"
      "data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"wörld\",\"thoughtSignature\":\"U0lH\"}]},\"finishReason\":\"STOP\",\"index\":0}],"
      "\"usageMetadata\":{\"promptTokenCount\":10,\"candidatesTokenCount\":4,\"thoughtsTokenCount\":6,\"totalTokenCount\":20},\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"r1\"}\r\n\r\n";
  const auto events = Decode(stream);
  EXPECT_EQ(EventsText(events),
            "start id=\"r1\" model=\"gemini-2.5-flash\"\n"
            "thinking \"Let me think\"\n"
            "thinking \" more.\"\n"
            "text \"Héllo \"\n"
            "thinking \"a second thought\"\n"
            "signature \"gemini:U0lH\"\n"
            "text \"wörld\"\n"
            "finish stop\n"
            "usage in=10 cached=0 w5m=0 w1h=0 out=10 reasoning=6\n"
            "end\n");
  const OpenAIAccumulated openai = CheckOpenAIStream(ToOpenAIClient(events), true);
  EXPECT_EQ(openai.content, "Héllo wörld");
  EXPECT_EQ(openai.reasoning, "Let me think more.a second thought");
  EXPECT_EQ(openai.finish_reason, "stop");
  const AnthropicAccumulated anthropic = CheckAnthropicStream(ToAnthropicClient(events));
  EXPECT_EQ(anthropic.stop_reason, "end_turn");
  EXPECT_EQ(anthropic.usage.at("output_tokens"), 10);
}

TEST(GeminiGoldenTest, StreamWithToolCallsAndRepeatedUsage) {
  const std::string stream =
      "data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Checking.\"}]},\"index\":0}],"
      "\"usageMetadata\":{\"promptTokenCount\":20,\"cachedContentTokenCount\":8,\"totalTokenCount\":20},\"modelVersion\":\"gemini-3-flash\",\"responseId\":\"r2\"}\n\n"
      "data: {not json at all\n\n"
      "data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":["
      "{\"functionCall\":{\"name\":\"get_weather\",\"args\":{\"city\":\"Paris\"}},\"thoughtSignature\":\"Q0FMTA==\"},"
      "{\"functionCall\":{\"name\":\"get_weather\",\"args\":{\"city\":\"Rome\"}}}]},\"finishReason\":\"STOP\",\"index\":0}],"
      "\"usageMetadata\":{\"promptTokenCount\":20,\"cachedContentTokenCount\":8,\"candidatesTokenCount\":15,\"totalTokenCount\":35},\"modelVersion\":\"gemini-3-flash\",\"responseId\":\"r2\"}\n\n";
  const auto events = Decode(stream);
  EXPECT_EQ(EventsText(events),
            "start id=\"r2\" model=\"gemini-3-flash\" usage in=12 cached=8 w5m=0 w1h=0 out=0 reasoning=0\n"
            "text \"Checking.\"\n"
            "usage in=12 cached=8 w5m=0 w1h=0 out=0 reasoning=0\n"
            "signature \"gemini:Q0FMTA==\"\n"
            "tool_start 0 id=\"call_r2_0\" name=\"get_weather\" args=\"{\\\"city\\\":\\\"Paris\\\"}\"\n"
            "tool_start 1 id=\"call_r2_1\" name=\"get_weather\" args=\"{\\\"city\\\":\\\"Rome\\\"}\"\n"
            "finish tool_calls\n"
            "usage in=12 cached=8 w5m=0 w1h=0 out=15 reasoning=0\n"
            "end\n");
  const OpenAIAccumulated openai = CheckOpenAIStream(ToOpenAIClient(events), true);
  ASSERT_EQ(openai.tool_calls.size(), 2u);
  EXPECT_EQ(openai.tool_calls.at(0).arguments, R"({"city":"Paris"})");
  EXPECT_EQ(openai.tool_calls.at(1).id, "call_r2_1");
  EXPECT_EQ(openai.finish_reason, "tool_calls");
  const AnthropicAccumulated anthropic = CheckAnthropicStream(ToAnthropicClient(events));
  EXPECT_EQ(anthropic.stop_reason, "tool_use");
  int tool_blocks = 0;
  for (const boost::json::value& block : anthropic.content) {
    if (block.at("type") != "tool_use") continue;
    EXPECT_EQ(block.at("input").at("city"), tool_blocks == 0 ? "Paris" : "Rome");
    ++tool_blocks;
  }
  EXPECT_EQ(tool_blocks, 2);
}

TEST(GeminiGoldenTest, StreamWithABlockedPrompt) {
  const auto events = Decode(
      "data: {\"promptFeedback\":{\"blockReason\":\"PROHIBITED_CONTENT\"},"
      "\"usageMetadata\":{\"promptTokenCount\":7,\"totalTokenCount\":7},\"modelVersion\":\"m\",\"responseId\":\"r4\"}\n\n");
  EXPECT_EQ(EventsText(events),
            "start id=\"r4\" model=\"m\" usage in=7 cached=0 w5m=0 w1h=0 out=0 reasoning=0\n"
            "finish content_filter\n"
            "usage in=7 cached=0 w5m=0 w1h=0 out=0 reasoning=0\n"
            "end\n");
  EXPECT_EQ(CheckOpenAIStream(ToOpenAIClient(events), true).finish_reason, "content_filter");
}

TEST(GeminiGoldenTest, StreamWithAnErrorInside) {
  const auto events = Decode(
      "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hi\"}]}}],\"responseId\":\"r5\"}\n\n"
      "data: {\"error\":{\"code\":503,\"message\":\"The model is overloaded.\",\"status\":\"UNAVAILABLE\"}}\n\n");
  EXPECT_EQ(EventsText(events),
            "start id=\"r5\" model=\"\"\n"
            "text \"Hi\"\n"
            "error type=\"overloaded_error\" \"The model is overloaded.\"\n");
  const auto wrapped = Decode(
      "data: [{\"error\":{\"code\":429,\"message\":\"Resource exhausted.\",\"status\":\"RESOURCE_EXHAUSTED\"}}]\n\n");
  EXPECT_EQ(EventsText(wrapped), "error type=\"rate_limit_error\" \"Resource exhausted.\"\n");
  EXPECT_TRUE(CheckOpenAIStream(ToOpenAIClient(events), true).saw_error);
}

TEST(GeminiGoldenTest, StreamCutShortHasNoEnd) {
  GeminiStreamDecoder decoder;
  const auto events = DecodeSse(
      decoder, "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hi\"}]}}],\"responseId\":\"r6\"}\n\n", false);
  EXPECT_EQ(EventsText(events), "start id=\"r6\" model=\"\"\ntext \"Hi\"\n");
  EXPECT_FALSE(decoder.saw_end());
  EXPECT_FALSE(decoder.usage().reported);
  // The client encoders still end the stream (a finish of their own).
  EXPECT_EQ(CheckOpenAIStream(ToOpenAIClient(events), true).content, "Hi");
}

TEST(GeminiGoldenTest, UsageAfterTheFinishingChunkStillCounts) {
  const auto events = Decode(
      "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hi\"}]},\"finishReason\":\"MAX_TOKENS\"}],\"responseId\":\"r7\"}\n\n"
      "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"late\"}]},\"finishReason\":\"STOP\"}],"
      "\"usageMetadata\":{\"promptTokenCount\":2,\"candidatesTokenCount\":1}}\n\n");
  EXPECT_EQ(EventsText(events),
            "start id=\"r7\" model=\"\"\n"
            "text \"Hi\"\n"
            "finish length\n"
            "end\n"
            "usage in=2 cached=0 w5m=0 w1h=0 out=1 reasoning=0\n");
}

}  // namespace
}  // namespace switchyard::providers::gemini
