// Golden files for the Anthropic wire format, tests/fixtures/anthropic/<case>.*, driven through the
// OpenAI client codec (the most common pairing: OpenAI SDK → Anthropic upstream):
//   .request.json (OpenAI client body) → .upstream.json (Anthropic body) + .dropped.txt,
//                                        or .error.txt (param, then message) when it is refused;
//   .stream.sse (Anthropic stream) → .events.txt (canonical events) → .openai.sse (client stream);
//   .response.json (Anthropic message) → .openai.json (client response).
#include <gtest/gtest.h>

#include "inbound/openai/chat_codec.h"
#include "inbound/openai/chat_request_decoder.h"
#include "providers/anthropic/anthropic_request_encoder.h"
#include "providers/anthropic/anthropic_response_decoder.h"
#include "providers/anthropic/anthropic_stream_decoder.h"
#include "unit/canonical/translation_fixtures.h"
#include "unit/inbound/sdk_stream_checks.h"

namespace switchyard::providers::anthropic {
namespace {

using namespace ::switchyard::testing_fixtures;

const std::string kDir = "anthropic/";

std::string JoinLines(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) out += line + "\n";
  return out;
}

TEST(AnthropicGoldenTest, RequestsFromOpenAIClients) {
  const std::vector<std::string> cases = FixtureCases("anthropic", ".request.json");
  ASSERT_FALSE(cases.empty());
  for (const std::string& name : cases) {
    SCOPED_TRACE(name);
    auto request = inbound::openai::DecodeChatRequest(ReadFixture(kDir + name + ".request.json"));
    Result<canonical::EncodedBody> encoded =
        request ? EncodeAnthropicRequest(*request, "claude-test") : Result<canonical::EncodedBody>(request.error());
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
  options.id = "chatcmpl-fallback";
  options.created = 1700000000;
  options.include_usage = true;
  return options;
}

TEST(AnthropicGoldenTest, StreamsToOpenAIClients) {
  const std::vector<std::string> cases = FixtureCases("anthropic", ".stream.sse");
  ASSERT_FALSE(cases.empty());
  for (const std::string& name : cases) {
    SCOPED_TRACE(name);
    const std::string stream = ReadFixture(kDir + name + ".stream.sse");
    AnthropicStreamDecoder whole;
    const std::vector<canonical::StreamEvent> events = DecodeSse(whole, stream, false);
    ExpectGoldenText(kDir + name + ".events.txt", EventsText(events));

    // Byte by byte (multi-byte characters split across reads) gives the same events.
    AnthropicStreamDecoder bytewise;
    EXPECT_EQ(EventsText(DecodeSse(bytewise, stream, true)), EventsText(events));
    EXPECT_EQ(UsageText(bytewise.usage()), UsageText(whole.usage()));

    inbound::openai::ChatCodec codec;
    auto encoder = codec.NewStreamEncoder(ClientOptions());
    std::string out;
    for (const canonical::StreamEvent& event : events) encoder->Encode(event, out);
    encoder->Finish(out, ": switchyard {\"cost_usd\":\"0\"}\n\n");
    ExpectGoldenText(kDir + name + ".openai.sse", out);
    CheckOpenAIStream(out, /*include_usage=*/true);
  }
}

TEST(AnthropicGoldenTest, ResponsesToOpenAIClients) {
  const std::vector<std::string> cases = FixtureCases("anthropic", ".response.json");
  ASSERT_FALSE(cases.empty());
  for (const std::string& name : cases) {
    SCOPED_TRACE(name);
    auto response = DecodeAnthropicResponse(ReadFixture(kDir + name + ".response.json"));
    ASSERT_TRUE(response.ok()) << response.error().message;
    response->created = 1700000000;
    ExpectGoldenJson(kDir + name + ".openai.json", inbound::openai::ChatCodec().EncodeResponse(*response));
  }
}

}  // namespace
}  // namespace switchyard::providers::anthropic
