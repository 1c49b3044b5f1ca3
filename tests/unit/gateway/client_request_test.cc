#include "gateway/client_request.h"

#include <gtest/gtest.h>

#include <string>

namespace switchyard::gateway {
namespace {

Result<RequestFields> Read(const std::string& body) {
  auto scan = json::ScanObject(body);
  EXPECT_TRUE(scan.ok()) << body;
  return ReadFields(body, *scan, providers::Operation::kChatCompletions);
}

TEST(ReadFieldsTest, ReadsTheModel) {
  auto fields = Read(R"({"model":"openai/gpt-4o-mini","messages":[]})");
  ASSERT_TRUE(fields.ok()) << fields.error().message;
  EXPECT_EQ(fields->model, "openai/gpt-4o-mini");
}

// Issue 11 defect 2: the model is echoed in x-switchyard-model; with CR/LF it made a header.
TEST(ReadFieldsTest, AModelWithControlCharactersIsA400NamingModel) {
  for (const std::string model :
       {R"(openai/gpt-4o-mini\r\nX-Injected: 1)", R"(a\nb)", R"(a\u0000b)", R"(a\u007f)",
        R"(a\tb)"}) {
    auto fields = Read(R"({"model":")" + model + R"(","messages":[]})");
    ASSERT_FALSE(fields.ok()) << model;
    EXPECT_EQ(fields.error().kind, ErrorKind::kInvalidRequest);
    EXPECT_EQ(fields.error().http_status, 400);
    EXPECT_EQ(fields.error().param, "model");
    EXPECT_NE(fields.error().message.find("model"), std::string::npos);
  }
}

}  // namespace
}  // namespace switchyard::gateway
