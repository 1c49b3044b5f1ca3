#include "inbound/openai/openai_errors.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace switchyard::inbound::openai {
namespace {

namespace bjson = boost::json;

bjson::value Parse(std::string_view text) {
  boost::system::error_code ec;
  bjson::value value = bjson::parse(text, ec);
  EXPECT_FALSE(ec) << text;
  return value;
}

TEST(FormatErrorBodyTest, NullParamAndCodeWhenEmpty) {
  const std::string body = FormatErrorBody(Error::NotFound("model 'x' is not configured"));
  EXPECT_EQ(Parse(body), Parse(R"({"error":{"message":"model 'x' is not configured",)"
                               R"("type":"not_found_error","param":null,"code":null}})"));
}

TEST(FormatErrorBodyTest, ParamAndCodeWhenSet) {
  Error error = Error::InvalidRequest("messages is required", "messages");
  error.code = "missing_field";
  EXPECT_EQ(Parse(FormatErrorBody(error)),
            Parse(R"({"error":{"message":"messages is required","type":"invalid_request_error",)"
                  R"("param":"messages","code":"missing_field"}})"));
}

TEST(FormatErrorBodyTest, UnauthorizedCarriesItsCode) {
  const bjson::value body = Parse(FormatErrorBody(Error::Unauthorized("invalid gateway key")));
  EXPECT_EQ(body.at("error").at("type"), "authentication_error");
  EXPECT_EQ(body.at("error").at("code"), "invalid_api_key");
  EXPECT_TRUE(body.at("error").at("param").is_null());
}

TEST(FormatErrorBodyTest, EmptyTypeBecomesApiError) {
  Error error;
  error.message = "something";
  EXPECT_EQ(Parse(FormatErrorBody(error)).at("error").at("type"), "api_error");
}

TEST(FormatErrorBodyTest, MessageIsEscaped) {
  const std::string message = "bad \"value\"\nin\\field \x01";
  const bjson::value body = Parse(FormatErrorBody(Error::InvalidRequest(message)));
  EXPECT_EQ(body.at("error").at("message"), message.c_str());
}

TEST(FormatStreamErrorTest, OneDataEventWithTheErrorBody) {
  const Error error = Error::UpstreamTimeout("the provider did not answer");
  const std::string event = FormatStreamError(error);
  ASSERT_TRUE(event.starts_with("data: ")) << event;
  ASSERT_TRUE(event.ends_with("\n\n")) << event;
  const std::string_view payload = std::string_view(event).substr(6, event.size() - 6 - 2);
  EXPECT_EQ(payload.find('\n'), std::string_view::npos);  // one data line
  EXPECT_EQ(payload, FormatErrorBody(error));
  const bjson::value body = Parse(payload);
  EXPECT_EQ(body.at("error").at("message"), "the provider did not answer");
  EXPECT_EQ(body.at("error").at("type"), "upstream_timeout");
}

TEST(FormatStreamErrorTest, NewlinesInTheMessageStayInsideOneDataLine) {
  const std::string event = FormatStreamError(Error::Internal("line one\nline two\r\n"));
  EXPECT_EQ(event.find('\n'), event.size() - 2);
  EXPECT_EQ(event.find('\r'), std::string::npos);
}

TEST(ClientStatusForTest, Overloaded529BecomesServiceUnavailable) {
  EXPECT_EQ(ClientStatusFor(529), 503);
}

TEST(ClientStatusForTest, OtherStatusesPassThrough) {
  for (int status : {400, 401, 403, 404, 408, 429, 500, 502, 503, 504}) {
    EXPECT_EQ(ClientStatusFor(status), status);
  }
}

}  // namespace
}  // namespace switchyard::inbound::openai
