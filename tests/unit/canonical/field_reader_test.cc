#include "canonical/field_reader.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "canonical/data_uri.h"
#include "canonical/encoded_request.h"
#include "canonical/json_values.h"

namespace switchyard::canonical {
namespace {

TEST(FieldReaderTest, NullAndAbsentAreNotGivenAndTheFirstErrorSticks) {
  const boost::json::object object = boost::json::parse(
      R"({"s":"x","n":null,"i":2.0,"f":2.5,"b":true,"o":{},"a":[]})").as_object();
  FieldReader reader(object, "messages[1]");
  EXPECT_EQ(reader.String("s"), "x");
  EXPECT_EQ(reader.String("n"), std::nullopt);
  EXPECT_EQ(reader.String("missing"), std::nullopt);
  EXPECT_EQ(reader.Int("i"), 2);
  EXPECT_EQ(reader.Number("f"), 2.5);
  EXPECT_EQ(reader.Bool("b"), true);
  EXPECT_NE(reader.Object("o"), nullptr);
  EXPECT_NE(reader.Array("a"), nullptr);
  EXPECT_TRUE(reader.ok());
  EXPECT_EQ(reader.Int("f"), std::nullopt);
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.error().param, "messages[1].f");
  EXPECT_EQ(reader.error().message, "messages[1].f: expected an integer");
  EXPECT_EQ(reader.String("s"), std::nullopt) << "reads stop after the first error";
  reader.Require("missing");
  EXPECT_EQ(reader.error().param, "messages[1].f");
}

TEST(FieldReaderTest, RequireNamesTheMember) {
  const boost::json::object object;
  FieldReader reader(object, "");
  EXPECT_FALSE(reader.Require("model"));
  EXPECT_EQ(reader.error().message, "model: is required");
  EXPECT_EQ(reader.error().http_status, 400);
}

TEST(DataUriTest, ParsesBase64DataUrisOnly) {
  auto uri = ParseDataUri("data:Image/PNG;name=a.png;base64,AAAA");
  ASSERT_TRUE(uri.has_value());
  EXPECT_EQ(uri->media_type, "image/png");
  EXPECT_EQ(uri->data, "AAAA");
  EXPECT_FALSE(ParseDataUri("https://x/y.png"));
  EXPECT_FALSE(ParseDataUri("data:image/png,AAAA"));
  EXPECT_FALSE(ParseDataUri("data:;base64,AAAA"));
  EXPECT_FALSE(ParseDataUri("data:image/png;base64"));
  EXPECT_EQ(MakeDataUri("image/gif", "R0lG"), "data:image/gif;base64,R0lG");
}

TEST(JsonValuesTest, CountsAreClampedAndNumbersStayIntegral) {
  const boost::json::object object =
      boost::json::parse(R"({"neg":-5,"huge":1e300,"ok":12,"s":"7"})").as_object();
  EXPECT_EQ(CountField(object, "neg"), 0);
  EXPECT_EQ(CountField(object, "huge"), std::int64_t{1} << 40);
  EXPECT_EQ(CountField(object, "ok"), 12);
  EXPECT_EQ(CountField(object, "s"), 0);
  EXPECT_EQ(boost::json::serialize(NumberValue(1.0)), "1");
  EXPECT_EQ(ParseArguments("")->size(), 0u);
  EXPECT_FALSE(ParseArguments("[1]"));
}

TEST(MergeRouteParamsTest, ParamsWinAndModelIsKept) {
  auto merged = MergeRouteParams(R"({"model":"a","temperature":1})", R"({"temperature":0,"model":"b","top_k":3})");
  ASSERT_TRUE(merged.ok());
  const boost::json::value body = boost::json::parse(*merged);
  EXPECT_EQ(body.at("model"), "a");
  EXPECT_EQ(body.at("temperature"), 0);
  EXPECT_EQ(body.at("top_k"), 3);
  EXPECT_EQ(*MergeRouteParams("{}", ""), "{}");
  EXPECT_FALSE(MergeRouteParams("{}", "[]").ok());
}

}  // namespace
}  // namespace switchyard::canonical
