#include "inbound/inbound_codec.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "providers/provider_adapter.h"

namespace switchyard::inbound {
namespace {

TEST(InboundCodecTest, OneCodecPerDialect) {
  EXPECT_EQ(CodecFor(wire::Format::kGemini), nullptr);  // no Gemini client endpoint
  const InboundCodec* openai = CodecFor(wire::Format::kOpenAI);
  const InboundCodec* anthropic = CodecFor(wire::Format::kAnthropic);
  ASSERT_NE(openai, nullptr);
  ASSERT_NE(anthropic, nullptr);
  EXPECT_EQ(openai->ClientStatus(529), 503);
  EXPECT_EQ(anthropic->ClientStatus(529), 529);
  EXPECT_EQ(openai->DecodeRequest(R"({"model":"m","messages":[]})")->dialect,
            wire::Format::kOpenAI);
  EXPECT_EQ(anthropic->DecodeRequest(R"({"model":"m","max_tokens":1,"messages":[]})")->dialect,
            wire::Format::kAnthropic);
}

TEST(InboundCodecTest, ErrorsComeInEachFormatsShape) {
  const Error error = Error::InvalidRequest("n: only one choice", "n");
  const boost::json::value openai =
      boost::json::parse(CodecFor(wire::Format::kOpenAI)->FormatError(error));
  EXPECT_EQ(openai.at("error").at("param"), "n");
  EXPECT_EQ(openai.at("error").at("type"), "invalid_request_error");
  const boost::json::value anthropic =
      boost::json::parse(CodecFor(wire::Format::kAnthropic)->FormatError(error));
  EXPECT_EQ(anthropic.at("type"), "error");
  EXPECT_EQ(anthropic.at("error").at("type"), "invalid_request_error");
  EXPECT_EQ(anthropic.at("error").at("message"), "n: only one choice");
  EXPECT_TRUE(CodecFor(wire::Format::kOpenAI)->FormatStreamError(error).starts_with("data: {"));
  EXPECT_TRUE(
      CodecFor(wire::Format::kAnthropic)->FormatStreamError(error).starts_with("event: error\n"));
}

// Every wire format has its own adapter (it used to check only Anthropic's, of three).
TEST(InboundCodecTest, EveryWireFormatHasItsOwnAdapter) {
  for (wire::Format format :
       {wire::Format::kOpenAI, wire::Format::kAnthropic, wire::Format::kGemini}) {
    const providers::ProviderAdapter* adapter = providers::AdapterFor(format);
    ASSERT_NE(adapter, nullptr) << wire::ToString(format);
    EXPECT_EQ(adapter->wire_format(), format) << wire::ToString(format);
  }
}

}  // namespace
}  // namespace switchyard::inbound
