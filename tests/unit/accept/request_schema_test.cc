#include "accept/request_schema.h"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <string>

namespace switchyard::accept {
namespace {

// The schema found, serialized; "none" when the request asks for none; "error: ..." on error.
std::string Found(std::string_view body, wire::Format format) {
  Result<std::optional<boost::json::value>> schema = RequestSchema(body, format);
  if (!schema.ok()) {
    EXPECT_EQ(schema.error().kind, ErrorKind::kInvalidRequest);
    return "error: " + schema.error().message;
  }
  return schema->has_value() ? boost::json::serialize(**schema) : "none";
}

constexpr auto kOpenAI = wire::Format::kOpenAI;
constexpr auto kAnthropic = wire::Format::kAnthropic;

TEST(RequestSchemaTest, OpenAIResponseFormatJsonSchema) {
  EXPECT_EQ(Found(R"({"model":"m","response_format":{"type":"json_schema",
                      "json_schema":{"name":"p","strict":true,"schema":{"type":"object"}}}})",
                  kOpenAI),
            R"({"type":"object"})");
  EXPECT_EQ(Found(R"({"model":"m"})", kOpenAI), "none");
  EXPECT_EQ(Found(R"({"response_format":null})", kOpenAI), "none");
  EXPECT_EQ(Found(R"({"response_format":{"type":"json_object"}})", kOpenAI), "none");
  EXPECT_EQ(Found(R"({"response_format":{"type":"json_schema","json_schema":{"name":"p"}}})",
                  kOpenAI),
            "none");
}

TEST(RequestSchemaTest, OpenAIFieldsThatAreNotObjectsAreErrorsNamingThem) {
  EXPECT_EQ(Found(R"({"response_format":"json"})", kOpenAI),
            "error: response_format must be an object");
  EXPECT_EQ(Found(R"({"response_format":{"type":"json_schema","json_schema":[]}})", kOpenAI),
            "error: response_format.json_schema must be an object");
  EXPECT_EQ(Found(R"({"response_format":{"type":"json_schema","json_schema":{"schema":true}}})",
                  kOpenAI),
            "error: response_format.json_schema.schema must be an object");
}

TEST(RequestSchemaTest, AnthropicOutputConfigFormatAndTheOlderOutputFormat) {
  EXPECT_EQ(Found(R"({"output_config":{"format":{"type":"json_schema",
                                                 "schema":{"type":"array"}}}})",
                  kAnthropic),
            R"({"type":"array"})");
  EXPECT_EQ(Found(R"({"output_format":{"type":"json_schema","schema":{"type":"string"}}})",
                  kAnthropic),
            R"({"type":"string"})");
  // output_config wins over the beta's output_format, as the Anthropic decoder reads them.
  EXPECT_EQ(Found(R"({"output_format":{"type":"json_schema","schema":{"type":"string"}},
                      "output_config":{"format":{"type":"json_schema","schema":{"type":"null"}}}})",
                  kAnthropic),
            R"({"type":"null"})");
  EXPECT_EQ(Found(R"({"output_config":{"effort":"low"}})", kAnthropic), "none");
  EXPECT_EQ(Found(R"({"max_tokens":10})", kAnthropic), "none");
  EXPECT_EQ(Found(R"({"output_config":1})", kAnthropic), "error: output_config must be an object");
  EXPECT_EQ(Found(R"({"output_config":{"format":{"type":"json_schema","schema":"x"}}})",
                  kAnthropic),
            "error: output_config.format.schema must be an object");
}

TEST(RequestSchemaTest, TheOtherAPIsFieldIsNotRead) {
  EXPECT_EQ(Found(R"({"output_format":{"type":"json_schema","schema":{}}})", kOpenAI), "none");
  EXPECT_EQ(Found(R"({"response_format":{"type":"json_schema","json_schema":{"schema":{}}}})",
                  kAnthropic),
            "none");
}

TEST(RequestSchemaTest, BodyThatIsNotAnObjectIsAnError) {
  EXPECT_EQ(Found("[1]", kOpenAI), "error: request body is not a valid JSON object");
  EXPECT_EQ(Found("{", kOpenAI), "error: request body is not a valid JSON object");
}

}  // namespace
}  // namespace switchyard::accept
