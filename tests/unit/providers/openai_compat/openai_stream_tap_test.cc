#include "providers/openai_compat/openai_stream_tap.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "providers/openai_compat/openai_adapter.h"

namespace switchyard::providers::openai_compat {
namespace {

using Verdict = StreamTap::Verdict;

constexpr std::string_view kRoleChunk =
    R"({"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini",)"
    R"("choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,)"
    R"("finish_reason":null}],"usage":null})";
constexpr std::string_view kContentChunk =
    R"({"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini",)"
    R"("choices":[{"index":0,"delta":{"content":"Hello"},"logprobs":null,"finish_reason":null}],)"
    R"("usage":null})";
constexpr std::string_view kFinishChunk =
    R"({"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini",)"
    R"("choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"usage":null})";
constexpr std::string_view kUsageChunk =
    R"({"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini",)"
    R"("choices":[],"usage":{"prompt_tokens":12,"completion_tokens":34,"total_tokens":46,)"
    R"("prompt_tokens_details":{"cached_tokens":2},)"
    R"("completion_tokens_details":{"reasoning_tokens":4}}})";

class OpenAIStreamTapTest : public ::testing::Test {
 protected:
  std::unique_ptr<StreamTap> NewTap(bool hide_usage_chunk) {
    return adapter_.NewStreamTap(hide_usage_chunk);
  }
  OpenAIAdapter adapter_;
};

TEST_F(OpenAIStreamTapTest, StartsEmpty) {
  const std::unique_ptr<StreamTap> tap = NewTap(true);
  EXPECT_FALSE(tap->saw_content());
  EXPECT_FALSE(tap->saw_end());
  EXPECT_TRUE(tap->stream_error().empty());
  EXPECT_FALSE(tap->usage().reported);
}

TEST_F(OpenAIStreamTapTest, HidesTheUsageOnlyChunkWhenAsked) {
  const std::unique_ptr<StreamTap> tap = NewTap(/*hide_usage_chunk=*/true);
  EXPECT_EQ(tap->OnData(kUsageChunk), Verdict::kHide);
  EXPECT_TRUE(tap->usage().reported);
  EXPECT_EQ(tap->usage().input_tokens, 10);
  EXPECT_EQ(tap->usage().cached_input_tokens, 2);
  EXPECT_EQ(tap->usage().output_tokens, 34);
  EXPECT_EQ(tap->usage().reasoning_tokens, 4);
  EXPECT_FALSE(tap->saw_content());  // a usage chunk is not content
}

TEST_F(OpenAIStreamTapTest, ForwardsTheUsageOnlyChunkWhenTheClientAskedForIt) {
  const std::unique_ptr<StreamTap> tap = NewTap(/*hide_usage_chunk=*/false);
  EXPECT_EQ(tap->OnData(kUsageChunk), Verdict::kForward);
  EXPECT_TRUE(tap->usage().reported);
  EXPECT_EQ(tap->usage().output_tokens, 34);
}

TEST_F(OpenAIStreamTapTest, WholeStreamInOrder) {
  const std::unique_ptr<StreamTap> tap = NewTap(true);
  std::vector<std::string> events;
  auto feed = [&](std::string_view name, std::string_view data) {
    const Verdict verdict = tap->OnData(data);
    events.push_back(std::string(name) + (verdict == Verdict::kHide ? ":hide" : ":forward") +
                     (tap->saw_content() ? ",content" : "") + (tap->saw_end() ? ",end" : "") +
                     (tap->usage().reported ? ",usage" : ""));
  };
  feed("content", kContentChunk);
  feed("finish", kFinishChunk);
  feed("usage", kUsageChunk);
  feed("done", "[DONE]");
  EXPECT_EQ(events, (std::vector<std::string>{"content:forward,content", "finish:forward,content",
                                              "usage:hide,content,usage",
                                              "done:forward,content,end,usage"}));
  EXPECT_TRUE(tap->stream_error().empty());
}

TEST_F(OpenAIStreamTapTest, ContentChunkSetsSawContent) {
  const std::unique_ptr<StreamTap> tap = NewTap(true);
  EXPECT_EQ(tap->OnData(kContentChunk), Verdict::kForward);
  EXPECT_TRUE(tap->saw_content());
  EXPECT_FALSE(tap->usage().reported);  // "usage":null is no usage
  EXPECT_FALSE(tap->saw_end());
}

TEST_F(OpenAIStreamTapTest, RoleOnlyFirstChunkIsNotContent) {
  const std::unique_ptr<StreamTap> tap = NewTap(true);
  EXPECT_EQ(tap->OnData(kRoleChunk), Verdict::kForward);
  EXPECT_FALSE(tap->saw_content());
  tap->OnData(kContentChunk);
  EXPECT_TRUE(tap->saw_content());
}

TEST_F(OpenAIStreamTapTest, EstimateFromStreamedTextWhenUsageNeverCame) {
  const std::unique_ptr<StreamTap> tap = NewTap(true);
  tap->OnData(kRoleChunk);
  tap->OnData(R"({"choices":[{"index":0,"delta":{"content":"Hello"}}]})");
  tap->OnData(R"({"choices":[{"index":0,"delta":{"content":" world!"}}]})");
  EXPECT_FALSE(tap->usage().reported);
  const canonical::Usage estimate = tap->EstimatedUsage(/*request_bytes=*/100);
  EXPECT_EQ(estimate.input_tokens, 25);  // about four bytes per token
  EXPECT_EQ(estimate.output_tokens, 3);  // 12 bytes of text
}

TEST_F(OpenAIStreamTapTest, ContentInSpacedJsonIsContent) {
  const std::unique_ptr<StreamTap> tap = NewTap(true);
  EXPECT_EQ(tap->OnData(R"({"id": "c", "choices": [{"index": 0, "delta": {"content": "Hello"}, )"
                        R"("finish_reason": null}]})"),
            Verdict::kForward);
  EXPECT_TRUE(tap->saw_content());
  EXPECT_GT(tap->EstimatedUsage(0).output_tokens, 0);
}

TEST_F(OpenAIStreamTapTest, DoneMarksTheEnd) {
  const std::unique_ptr<StreamTap> tap = NewTap(true);
  EXPECT_EQ(tap->OnData("[DONE]"), Verdict::kForward);
  EXPECT_TRUE(tap->saw_end());
  EXPECT_FALSE(tap->saw_content());

  const std::unique_ptr<StreamTap> padded = NewTap(true);
  EXPECT_EQ(padded->OnData(" [DONE]\n"), Verdict::kForward);
  EXPECT_TRUE(padded->saw_end());
}

TEST_F(OpenAIStreamTapTest, ErrorInsideTheStreamIsRecordedAndForwarded) {
  const std::unique_ptr<StreamTap> tap = NewTap(true);
  tap->OnData(kContentChunk);
  EXPECT_EQ(tap->OnData(R"({"error":{"message":"The server is overloaded","type":"server_error",)"
                        R"("code":null}})"),
            Verdict::kForward);
  EXPECT_EQ(tap->stream_error(), "The server is overloaded");
  EXPECT_FALSE(tap->saw_end());
}

TEST_F(OpenAIStreamTapTest, StringErrorInsideTheStream) {
  const std::unique_ptr<StreamTap> tap = NewTap(true);
  EXPECT_EQ(tap->OnData(R"({"error":"upstream went away"})"), Verdict::kForward);
  EXPECT_EQ(tap->stream_error(), "upstream went away");
}

TEST_F(OpenAIStreamTapTest, ErrorThatIsNotTheFirstKeyIsRecorded) {
  const std::unique_ptr<StreamTap> tap = NewTap(true);
  tap->OnData(R"({"id":"gen-1","object":"chat.completion.chunk","provider":"openai",)"
              R"("error":{"code":502,"message":"Provider disconnected"},)"
              R"("choices":[{"index":0,"delta":{"content":""},"finish_reason":"error"}]})");
  EXPECT_EQ(tap->stream_error(), "Provider disconnected");
  const std::unique_ptr<StreamTap> spaced = NewTap(true);
  spaced->OnData(R"({ "error": {"message":"boom"}})");
  EXPECT_EQ(spaced->stream_error(), "boom");
}

TEST_F(OpenAIStreamTapTest, UsageOnTheFinishChunkIsReadAndForwarded) {
  // Groq, Mistral and vLLM put usage on the chunk that also carries the finish reason.
  const std::unique_ptr<StreamTap> tap = NewTap(/*hide_usage_chunk=*/true);
  EXPECT_EQ(tap->OnData(R"({"id":"x","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],)"
                        R"("usage":{"prompt_tokens":3,"completion_tokens":4}})"),
            Verdict::kForward);
  EXPECT_TRUE(tap->usage().reported);
  EXPECT_EQ(tap->usage().input_tokens, 3);
  EXPECT_EQ(tap->usage().output_tokens, 4);
}

TEST_F(OpenAIStreamTapTest, UsageWordInContentIsJustContent) {
  const std::unique_ptr<StreamTap> tap = NewTap(true);
  EXPECT_EQ(
      tap->OnData(R"({"choices":[{"index":0,"delta":{"content":"\"usage\": {\"a\":1} usage"}}]})"),
      Verdict::kForward);
  EXPECT_TRUE(tap->saw_content());
  EXPECT_FALSE(tap->usage().reported);
}

// The tap skims chunks, it does not validate them: a malformed chunk is forwarded as sent (never
// hidden, even when it looks usage-only), and its usage counts only when the usage object itself is
// valid JSON.
TEST_F(OpenAIStreamTapTest, UnparsableDataIsForwardedAsSent) {
  const std::unique_ptr<StreamTap> tap = NewTap(true);
  EXPECT_EQ(tap->OnData(R"({"choices":[],"usage":{"prompt_tokens":1 trailing garbage)"),
            Verdict::kForward);
  EXPECT_FALSE(tap->usage().reported);
  EXPECT_EQ(tap->OnData(R"({"choices":[],"usage":{"prompt_tokens":1} trailing garbage)"),
            Verdict::kForward);
  EXPECT_TRUE(tap->stream_error().empty());
}

}  // namespace
// Defect 6 of issue 11: a pass-through stream that closed with no finish reason and no [DONE]
// looked complete. The tap tells a stream that said why it finished from one cut short.
TEST_F(OpenAIStreamTapTest, SeesAFinishReasonButNotANullOne) {
  auto tap = NewTap(false);
  tap->OnData(kRoleChunk);
  tap->OnData(kContentChunk);
  EXPECT_FALSE(tap->saw_finish());
  tap->OnData(kFinishChunk);
  EXPECT_TRUE(tap->saw_finish());
  EXPECT_FALSE(tap->saw_end());
  auto spaced = NewTap(false);
  spaced->OnData(R"({"choices":[{"index":0,"delta":{},"finish_reason" : "length"}]})");
  EXPECT_TRUE(spaced->saw_finish());
}

}  // namespace switchyard::providers::openai_compat
