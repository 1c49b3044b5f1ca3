#include "inbound/anthropic/anthropic_errors.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "inbound/anthropic/messages_codec.h"

namespace switchyard::inbound::anthropic {
namespace {

Error WithStatus(int status, std::string type = {}) {
  Error error;
  error.kind = ErrorKind::kUpstreamStatus;
  error.http_status = status;
  error.message = "m";
  error.type = std::move(type);
  return error;
}

TEST(AnthropicErrorsTest, TypesFollowTheStatus) {
  EXPECT_EQ(ErrorTypeFor(WithStatus(529)), "overloaded_error");
  EXPECT_EQ(ErrorTypeFor(WithStatus(503, "server_error")), "overloaded_error");
  EXPECT_EQ(ErrorTypeFor(WithStatus(429, "tokens")), "rate_limit_error");
  EXPECT_EQ(ErrorTypeFor(WithStatus(401, "invalid_request_error")), "authentication_error");
  EXPECT_EQ(ErrorTypeFor(WithStatus(402)), "billing_error");
  EXPECT_EQ(ErrorTypeFor(WithStatus(403)), "permission_error");
  EXPECT_EQ(ErrorTypeFor(WithStatus(404)), "not_found_error");
  EXPECT_EQ(ErrorTypeFor(WithStatus(413)), "request_too_large");
  EXPECT_EQ(ErrorTypeFor(WithStatus(504)), "timeout_error");
  EXPECT_EQ(ErrorTypeFor(WithStatus(500)), "api_error");
  EXPECT_EQ(ErrorTypeFor(WithStatus(502, "upstream_connect_error")), "api_error");
  EXPECT_EQ(ErrorTypeFor(WithStatus(500, "overloaded_error")), "overloaded_error");
  EXPECT_EQ(ErrorTypeFor(WithStatus(422)), "invalid_request_error");
  EXPECT_EQ(ErrorTypeFor(Error::InvalidRequest("bad", "n")), "invalid_request_error");
}

TEST(AnthropicErrorsTest, BodyAndStreamEventShapes) {
  const Error error = WithStatus(529);
  const boost::json::value body = boost::json::parse(FormatErrorBody(error));
  EXPECT_EQ(body.at("type"), "error");
  EXPECT_EQ(body.at("error").at("type"), "overloaded_error");
  EXPECT_EQ(body.at("error").at("message"), "m");
  EXPECT_EQ(FormatStreamError(error), "event: error\ndata: " + FormatErrorBody(error) + "\n\n");
  EXPECT_EQ(MessagesCodec().ClientStatus(529), 529);
}

}  // namespace
}  // namespace switchyard::inbound::anthropic
