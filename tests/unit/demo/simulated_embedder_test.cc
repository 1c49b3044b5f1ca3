#include "demo/simulated_embedder.h"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include <cmath>
#include <string>
#include <vector>

namespace switchyard::demo {
namespace {

namespace json = boost::json;

float Similarity(std::string_view a, std::string_view b) {
  const std::vector<float> x = SimulatedEmbedding(a);
  const std::vector<float> y = SimulatedEmbedding(b);
  float dot = 0;
  for (std::size_t i = 0; i < x.size(); ++i) dot += x[i] * y[i];
  return dot;
}

double Norm(const std::vector<float>& v) {
  double squares = 0;
  for (const float x : v) squares += double(x) * double(x);
  return std::sqrt(squares);
}

// These floats are what the integration mock's port (tests/integration/lib/mock/openai.js,
// simulatedEmbedding, model `test-embedder`) must give too; its comment repeats them. A change to
// the algorithm changes both, and these numbers.
TEST(SimulatedEmbedderTest, PinnedVectorsForTheJavaScriptPort) {
  EXPECT_EQ(SimulatedEmbedding("How do I reset my password?", 8),
            (std::vector<float>{0.727606893f, 0, 0.242535621f, 0.242535621f, 0.242535621f,
                                0.485071242f, 0, -0.242535621f}));
  EXPECT_EQ(SimulatedEmbedding("Convert 5 km to miles", 8),
            (std::vector<float>{0, 0.412081689f, -0.412081689f, 0, 0, -0.412081689f,
                                -0.686802804f, -0.137360558f}));
  EXPECT_EQ(SimulatedEmbedding("Café crème, s'il vous plaît", 8),
            (std::vector<float>{-0.292770028f, 0.487950027f, 0.390360028f, -0.195180014f,
                                -0.487950027f, 0.487950027f, 0, 0.0975900069f}));
  EXPECT_EQ(SimulatedEmbedding("", 8), (std::vector<float>{0, 0, 0, 1, 0, 0, 0, 0}));
  // At the default 256 dimensions: the first non-zero components.
  const std::vector<float> v = SimulatedEmbedding("How do I reset my password?");
  ASSERT_EQ(v.size(), 256u);
  EXPECT_EQ(v[0], 0.0f);
  EXPECT_EQ(v[2], -0.142857149f);
  EXPECT_EQ(v[13], 0.142857149f);
  EXPECT_EQ(v[16], 0.571428597f);
  EXPECT_EQ(v[77], 0.142857149f);
}

TEST(SimulatedEmbedderTest, UnitLengthOfTheDimensionsAsked) {
  for (const std::size_t dims : {1u, 3u, 8u, 256u, 1536u}) {
    const std::vector<float> v = SimulatedEmbedding("Where is my order?", dims);
    ASSERT_EQ(v.size(), dims);
    EXPECT_NEAR(Norm(v), 1.0, 1e-6) << dims;
  }
  EXPECT_TRUE(SimulatedEmbedding("anything", 0).empty());
  EXPECT_NEAR(Norm(SimulatedEmbedding("")), 1.0, 1e-6);
  EXPECT_NEAR(Norm(SimulatedEmbedding("?!... ---")), 1.0, 1e-6);
}

TEST(SimulatedEmbedderTest, CasePunctuationAndStopWordsDoNotCount) {
  EXPECT_EQ(SimulatedEmbedding("Reset my PASSWORD!"), SimulatedEmbedding("reset password"));
  EXPECT_EQ(SimulatedEmbedding("What is the capital of France?"),
            SimulatedEmbedding("capital   france"));
  // A text of stop words only is embedded by those words, not as nothing.
  EXPECT_NE(SimulatedEmbedding("what is it"), SimulatedEmbedding(""));
  // Non-ASCII bytes belong to words.
  EXPECT_NE(SimulatedEmbedding("café"), SimulatedEmbedding("caf"));
  // Word order counts a little (word pairs), not a lot.
  EXPECT_NE(SimulatedEmbedding("km to miles"), SimulatedEmbedding("miles to km"));
  EXPECT_GT(Similarity("km to miles", "miles to km"), 0.7f);
}

TEST(SimulatedEmbedderTest, ParaphrasesScoreAboveOtherQuestions) {
  const std::string question = "How do I reset my password?";
  const float paraphrase = Similarity(question, "I forgot my password, how can I reset it?");
  const float other = Similarity(question, "What is the capital of France?");
  EXPECT_GT(paraphrase, 0.6f);
  EXPECT_LT(other, 0.2f);
  EXPECT_GT(Similarity("What is the capital of France?", "Which city is the capital of France?"),
            Similarity("What is the capital of France?", "What is the capital of Germany?"));
}

TEST(SimulatedEmbedderTest, AnswersAnEmbeddingsRequestPerInput) {
  const EmbeddingsAnswer answer = AnswerEmbeddingsRequest(
      R"({"model":"text-embedding-3-small","input":["reset my password","where is my order"]})");
  ASSERT_EQ(answer.status, 200) << json::serialize(answer.body);
  const json::object& body = answer.body.as_object();
  EXPECT_EQ(body.at("object"), "list");
  EXPECT_EQ(body.at("model"), "text-embedding-3-small");
  const json::array& data = body.at("data").as_array();
  ASSERT_EQ(data.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(data[i].at("object"), "embedding");
    EXPECT_EQ(data[i].at("index").as_int64(), static_cast<std::int64_t>(i));
  }
  const json::array& second = data[1].at("embedding").as_array();
  const std::vector<float> expected = SimulatedEmbedding("where is my order");
  ASSERT_EQ(second.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(static_cast<float>(second[i].as_double()), expected[i]) << i;
  }
  // 17 bytes each: 5 tokens each.
  EXPECT_EQ(body.at("usage").at("prompt_tokens").as_int64(), 10);
  EXPECT_EQ(body.at("usage").at("total_tokens").as_int64(), 10);
}

TEST(SimulatedEmbedderTest, HonoursDimensionsAndBase64) {
  const EmbeddingsAnswer plain =
      AnswerEmbeddingsRequest(R"({"model":"m","input":"hello","dimensions":3})");
  ASSERT_EQ(plain.status, 200);
  EXPECT_EQ(plain.body.at("data").at(0).at("embedding").as_array().size(), 3u);
  EXPECT_EQ(plain.body.at("usage").at("prompt_tokens").as_int64(), 2);

  // "hello" at one dimension is -1.0f (0xbf800000), little-endian 00 00 80 bf.
  const EmbeddingsAnswer one = AnswerEmbeddingsRequest(
      R"({"model":"m","input":"hello","dimensions":1,"encoding_format":"base64"})");
  ASSERT_EQ(one.status, 200);
  EXPECT_EQ(one.body.at("data").at(0).at("embedding"), "AACAvw==");
  // "" at two dimensions is {0, 1}: 00 00 00 00 00 00 80 3f.
  const EmbeddingsAnswer two = AnswerEmbeddingsRequest(
      R"({"model":"m","input":"","dimensions":2,"encoding_format":"base64"})");
  ASSERT_EQ(two.status, 200);
  EXPECT_EQ(two.body.at("data").at(0).at("embedding"), "AAAAAAAAgD8=");
  EXPECT_EQ(SimulatedEmbedding("", 2), (std::vector<float>{0, 1}));
  // "float", and null, are the default.
  const EmbeddingsAnswer floats = AnswerEmbeddingsRequest(
      R"({"model":"m","input":"","dimensions":2,"encoding_format":"float"})");
  ASSERT_EQ(floats.status, 200);
  EXPECT_EQ(floats.body.at("data").at(0).at("embedding"), (json::array{0.0, 1.0}));
  EXPECT_EQ(AnswerEmbeddingsRequest(R"({"model":"m","input":"x","encoding_format":null})").status,
            200);
}

TEST(SimulatedEmbedderTest, BadRequestsAreOpenAIErrors) {
  struct Case {
    const char* body;
    const char* param;  // nullptr: "param": null
  };
  const Case cases[] = {
      {"not json", nullptr},
      {"[1,2]", nullptr},
      {R"({"input":"x"})", "model"},
      {R"({"model":"","input":"x"})", "model"},
      {R"({"model":"m"})", "input"},
      {R"({"model":"m","input":[]})", "input"},
      {R"({"model":"m","input":[1,2,3]})", "input"},
      {R"({"model":"m","input":[[1,2]]})", "input"},
      {R"({"model":"m","input":["a",2]})", "input"},
      {R"({"model":"m","input":{"a":1}})", "input"},
      {R"({"model":"m","input":"x","dimensions":0})", "dimensions"},
      {R"({"model":"m","input":"x","dimensions":4097})", "dimensions"},
      {R"({"model":"m","input":"x","dimensions":-1})", "dimensions"},
      {R"({"model":"m","input":"x","dimensions":"8"})", "dimensions"},
      {R"({"model":"m","input":"x","dimensions":18446744073709551615})", "dimensions"},
      {R"({"model":"m","input":"x","encoding_format":"int8"})", "encoding_format"},
  };
  for (const Case& c : cases) {
    const EmbeddingsAnswer answer = AnswerEmbeddingsRequest(c.body);
    EXPECT_EQ(answer.status, 400) << c.body;
    const json::object* error = answer.body.at("error").if_object();
    ASSERT_NE(error, nullptr) << c.body;
    EXPECT_EQ(error->at("type"), "invalid_request_error");
    EXPECT_TRUE(error->at("message").is_string());
    EXPECT_TRUE(error->at("code").is_null());
    if (c.param == nullptr) {
      EXPECT_TRUE(error->at("param").is_null()) << c.body;
    } else {
      EXPECT_EQ(error->at("param"), c.param) << c.body;
    }
  }
  // 2049 inputs, and an answer too large.
  std::string many = R"({"model":"m","input":[)";
  for (int i = 0; i < 2049; ++i) many += i == 0 ? R"("a")" : R"(,"a")";
  many += "]}";
  EXPECT_EQ(AnswerEmbeddingsRequest(many).status, 400);
  std::string large = R"({"model":"m","dimensions":4096,"input":[)";
  for (int i = 0; i < 300; ++i) large += i == 0 ? R"("a")" : R"(,"a")";
  large += "]}";
  EXPECT_EQ(AnswerEmbeddingsRequest(large).status, 400);
}

}  // namespace
}  // namespace switchyard::demo
