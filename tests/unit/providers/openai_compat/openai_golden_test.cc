// Golden files for the OpenAI wire format, tests/fixtures/openai/<case>.*, driven through the
// Anthropic client codec (Anthropic SDK → OpenAI-compatible upstream):
//   .request.json (Anthropic client body) → .upstream.json (OpenAI body) + .dropped.txt,
//                                           or .error.txt (param, then message) when refused;
//   .stream.sse (OpenAI stream) → .events.txt (canonical events) → .anthropic.sse (client stream);
//   .response.json (chat completion) → .anthropic.json (client response).
#include <gtest/gtest.h>

#include "inbound/anthropic/messages_codec.h"
#include "inbound/anthropic/messages_request_decoder.h"
#include "hosts/host_profile.h"
#include "providers/openai_compat/openai_request_encoder.h"
#include "providers/openai_compat/openai_response_decoder.h"
#include "providers/openai_compat/openai_stream_decoder.h"
#include "unit/canonical/translation_fixtures.h"
#include "unit/inbound/sdk_stream_checks.h"

namespace switchyard::providers::openai_compat {
namespace {

using namespace ::switchyard::testing_fixtures;

const std::string kDir = "openai/";

std::string JoinLines(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) out += line + "\n";
  return out;
}

TEST(OpenAIGoldenTest, RequestsFromAnthropicClients) {
  const std::vector<std::string> cases = FixtureCases("openai", ".request.json");
  ASSERT_FALSE(cases.empty());
  for (const std::string& name : cases) {
    SCOPED_TRACE(name);
    auto request =
        inbound::anthropic::DecodeMessagesRequest(ReadFixture(kDir + name + ".request.json"));
    Result<canonical::EncodedBody> encoded =
        request ? EncodeOpenAIRequest(*request, "gpt-test", hosts::FindKnownHost("openai"))
                : Result<canonical::EncodedBody>(request.error());
    const std::string error_file = kDir + name + ".error.txt";
    if (!encoded.ok()) {
      ExpectGoldenText(error_file, encoded.error().param + "\n" + encoded.error().message + "\n");
      EXPECT_EQ(encoded.error().http_status, 400);
      continue;
    }
    EXPECT_FALSE(FixtureExists(error_file)) << "expected a refusal";
    ExpectGoldenJson(kDir + name + ".upstream.json", encoded->body);
    const std::string dropped = JoinLines(encoded->dropped_params);
    if (!dropped.empty() || FixtureExists(kDir + name + ".dropped.txt")) {
      ExpectGoldenText(kDir + name + ".dropped.txt", dropped);
    }
  }
}

inbound::StreamEncoderOptions ClientOptions() {
  inbound::StreamEncoderOptions options;
  options.model = "fallback-model";
  options.id = "msg_fallback";
  options.input_tokens_estimate = 42;
  return options;
}

TEST(OpenAIGoldenTest, StreamsToAnthropicClients) {
  const std::vector<std::string> cases = FixtureCases("openai", ".stream.sse");
  ASSERT_FALSE(cases.empty());
  for (const std::string& name : cases) {
    SCOPED_TRACE(name);
    const std::string stream = ReadFixture(kDir + name + ".stream.sse");
    OpenAIStreamDecoder whole;
    const std::vector<canonical::StreamEvent> events = DecodeSse(whole, stream, false);
    ExpectGoldenText(kDir + name + ".events.txt", EventsText(events));

    OpenAIStreamDecoder bytewise;
    EXPECT_EQ(EventsText(DecodeSse(bytewise, stream, true)), EventsText(events));

    inbound::anthropic::MessagesCodec codec;
    auto encoder = codec.NewStreamEncoder(ClientOptions());
    std::string out;
    for (const canonical::StreamEvent& event : events) encoder->Encode(event, out);
    encoder->Finish(out, ": switchyard {\"cost_usd\":\"0\"}\n\n");
    ExpectGoldenText(kDir + name + ".anthropic.sse", out);
    CheckAnthropicStream(out);
  }
}

TEST(OpenAIGoldenTest, ResponsesToAnthropicClients) {
  const std::vector<std::string> cases = FixtureCases("openai", ".response.json");
  ASSERT_FALSE(cases.empty());
  for (const std::string& name : cases) {
    SCOPED_TRACE(name);
    auto response = DecodeOpenAIResponse(ReadFixture(kDir + name + ".response.json"));
    ASSERT_TRUE(response.ok()) << response.error().message;
    ExpectGoldenJson(kDir + name + ".anthropic.json",
                     inbound::anthropic::MessagesCodec().EncodeResponse(*response));
  }
}

}  // namespace
}  // namespace switchyard::providers::openai_compat
