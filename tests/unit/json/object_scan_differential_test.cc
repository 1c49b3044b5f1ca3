// Differential check of ScanObject against Boost.JSON's parser on seeded random mutations of valid
// documents: ScanObject must accept exactly when Boost.JSON, configured for strict RFC 8259 with
// the same depth limit, accepts and the top level is an object without duplicate keys.
//
// Boost.JSON 1.81 with default parse_options is strict: no comments, no trailing commas, UTF-8
// validated, and escaped lone surrogates rejected (as ScanObject does). The one difference found:
// Boost.JSON fails with "exponent_overflow" when a number's decimal exponent does not fit its
// internal counter (1e99999999999999999999; 1e999 is fine and becomes inf). RFC 8259 puts no limit
// on the grammar, so ScanObject accepts those; inputs where Boost reports that error are excluded
// and counted.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <boost/json/basic_parser_impl.hpp>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "json/object_scan.h"

namespace switchyard::json {
namespace {

// Records what the strictness check needs: the top-level type and whether top-level keys repeat.
class TopLevelHandler {
 public:
  static constexpr std::size_t max_object_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_array_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_key_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_string_size = static_cast<std::size_t>(-1);

  using string_view = boost::json::string_view;
  using error_code = boost::system::error_code;

  bool on_document_begin(error_code&) { return true; }
  bool on_document_end(error_code&) { return true; }
  bool on_object_begin(error_code&) {
    if (depth_ == 0) top_is_object_ = true;
    ++depth_;
    return true;
  }
  bool on_object_end(std::size_t, error_code&) {
    --depth_;
    return true;
  }
  bool on_array_begin(error_code&) {
    ++depth_;
    return true;
  }
  bool on_array_end(std::size_t, error_code&) {
    --depth_;
    return true;
  }
  bool on_key_part(string_view s, std::size_t, error_code&) {
    key_.append(s.data(), s.size());
    return true;
  }
  bool on_key(string_view s, std::size_t, error_code&) {
    key_.append(s.data(), s.size());
    if (depth_ == 1 && !top_keys_.insert(key_).second) duplicate_ = true;
    key_.clear();
    return true;
  }
  bool on_string_part(string_view, std::size_t, error_code&) { return true; }
  bool on_string(string_view, std::size_t, error_code&) { return true; }
  bool on_number_part(string_view, error_code&) { return true; }
  bool on_int64(std::int64_t, string_view, error_code&) { return true; }
  bool on_uint64(std::uint64_t, string_view, error_code&) { return true; }
  bool on_double(double, string_view, error_code&) { return true; }
  bool on_bool(bool, error_code&) { return true; }
  bool on_null(error_code&) { return true; }
  bool on_comment_part(string_view, error_code&) { return true; }
  bool on_comment(string_view, error_code&) { return true; }

  bool top_is_object() const { return top_is_object_; }
  bool duplicate() const { return duplicate_; }

 private:
  int depth_ = 0;
  bool top_is_object_ = false;
  bool duplicate_ = false;
  std::string key_;
  std::set<std::string> top_keys_;
};

enum class Verdict { kAccept, kReject, kExcluded };

Verdict BoostVerdict(std::string_view text) {
  boost::json::parse_options options;  // strict RFC 8259 by default; spelled out for the reader
  options.max_depth = kMaxJsonDepth;
  options.allow_comments = false;
  options.allow_trailing_commas = false;
  options.allow_invalid_utf8 = false;
  boost::json::basic_parser<TopLevelHandler> parser(options);
  boost::system::error_code ec;
  const std::size_t used = parser.write_some(false, text.data(), text.size(), ec);
  if (ec == boost::json::error::exponent_overflow) return Verdict::kExcluded;
  if (ec || used != text.size()) return Verdict::kReject;
  const TopLevelHandler& handler = parser.handler();
  return handler.top_is_object() && !handler.duplicate() ? Verdict::kAccept : Verdict::kReject;
}

const std::vector<std::string>& SeedDocuments() {
  static const std::vector<std::string> seeds = {
      R"({"model":"gpt-4o","messages":[{"role":"system","content":"Be brief."},)"
      R"({"role":"user","content":"Hi \u00e9 \ud83d\ude00"}],"stream":true,)"
      R"("stream_options":{"include_usage":true},"temperature":0.7,"max_tokens":256,"stop":null})",
      "{\n  \"model\": \"claude\",\n  \"max_tokens\": 1024,\n  \"system\": [{\"type\": \"text\", "
      "\"text\": \"x\"}],\n  \"tools\": [{\"name\": \"get_weather\", \"input_schema\": "
      "{\"type\": \"object\", \"properties\": {\"city\": {\"type\": \"string\"}}}}],\n  "
      "\"metadata\": {\"user_id\": \"u-1\"}\n}\n",
      "{\"a\":[1,-2.5e+3,0,-0.0,1E9,true,false,null,\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"],\"b\":{}, "
      "\"c\":[], \"d\":\"h\xC3\xA9llo \xE4\xB8\x96\xF0\x9F\x8E\x89\"}",
      R"({"deep":[[[[[[[[[[{"x":[[[[[[[[[[1]]]]]]]]]]}]]]]]]]]]]})",
      R"({ "k1" : 1 , "k2" : "v" , "k\u0033" : [ ] })",
  };
  return seeds;
}

std::string Mutate(std::string text, std::mt19937& rng) {
  static const std::string kAlphabet =
      "{}[],:\"\\ \t\n\r0123456789-+.eEtrufalsn/ubx\x01\x7F\xC3\xA9\xE4\xED\xA0\xF0\x9F\x80\xFF";
  auto random_index = [&](std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng);
  };
  auto random_char = [&] { return kAlphabet[random_index(kAlphabet.size())]; };
  const int mutations = 1 + static_cast<int>(rng() % 3);
  for (int i = 0; i < mutations; ++i) {
    if (text.empty()) {
      text += random_char();
      continue;
    }
    const std::size_t pos = random_index(text.size());
    switch (rng() % 8) {
      case 6: {  // repeat a key the seeds use, right after the first '{'
        static const std::vector<std::string> kMembers = {"\"model\":1,", "\"a\":[],",
                                                          "\"k\u0031\":0,", "\"deep\":null,"};
        const std::size_t brace = text.find('{');
        if (brace != std::string::npos) {
          text.insert(brace + 1, kMembers[random_index(kMembers.size())]);
        }
        break;
      }
      case 7:  // a valid non-object top level
        text = "[" + text + "]";
        break;
      case 0:
        text[pos] = random_char();
        break;
      case 1:
        text.insert(text.begin() + static_cast<std::ptrdiff_t>(pos), random_char());
        break;
      case 2:
        text.erase(pos, 1);
        break;
      case 3: {  // duplicate a span (repeats keys, members, brackets)
        const std::size_t len = 1 + random_index(std::min<std::size_t>(16, text.size() - pos));
        text.insert(pos, text.substr(pos, len));
        break;
      }
      case 4: {  // delete a span
        const std::size_t len = 1 + random_index(std::min<std::size_t>(8, text.size() - pos));
        text.erase(pos, len);
        break;
      }
      default: {  // insert an interesting token
        static const std::vector<std::string> kTokens = {
            "\\u", "\\ud800", "\\udc00", "\\ud83d\\ude00", "1e999", "01", "1.", ".5", "-", "1e",
            "NaN", ",", ",}", "[", "]", "{\"k\":", "\"model\":1,", "true", "nul", "\xEF\xBB\xBF"};
        text.insert(pos, kTokens[random_index(kTokens.size())]);
        break;
      }
    }
  }
  return text;
}

TEST(ObjectScanDifferentialTest, AgreesWithStrictBoostJson) {
  std::mt19937 rng(0x5eed);
  int accepted = 0;
  int rejected = 0;
  int excluded = 0;
  int duplicates = 0;
  int not_object = 0;
  std::vector<std::string> corpus = SeedDocuments();
  for (int i = 0; i < 40000; ++i) {
    const std::string& base = corpus[std::uniform_int_distribution<std::size_t>(
        0, corpus.size() - 1)(rng)];
    const std::string text = Mutate(base, rng);
    const Verdict boost_verdict = BoostVerdict(text);
    if (boost_verdict == Verdict::kExcluded) {
      ++excluded;
      continue;
    }
    Result<ObjectScan> scan = ScanObject(text);
    const bool ours = scan.ok();
    if (!ours && scan.error().message.find("duplicate") != std::string::npos) ++duplicates;
    if (!ours && scan.error().message == "request body must be a JSON object") ++not_object;
    ASSERT_EQ(ours, boost_verdict == Verdict::kAccept) << testing::PrintToString(text);
    if (ours) {
      ++accepted;
      // Keep some accepted mutants as bases, so mutations compound without drifting to garbage.
      if (corpus.size() < 200) corpus.push_back(text);
    } else {
      ++rejected;
    }
  }
  // Both outcomes must be well represented for the check to mean anything.
  EXPECT_GT(accepted, 2000);
  EXPECT_GT(rejected, 2000);
  EXPECT_GT(duplicates, 500);
  EXPECT_GT(not_object, 200);
  EXPECT_LT(excluded, 400);
}

TEST(ObjectScanDifferentialTest, KnownDifferenceHugeExponent) {
  const std::string text = R"({"a":1e99999999999999999999})";
  EXPECT_TRUE(ScanObject(text).ok());
  EXPECT_EQ(BoostVerdict(text), Verdict::kExcluded);
  EXPECT_EQ(BoostVerdict(R"({"a":1e999})"), Verdict::kAccept);
}

TEST(ObjectScanDifferentialTest, DepthLimitMatchesBoost) {
  for (int depth : {63, 64, 65}) {
    std::string text = "{\"a\":" + std::string(depth - 1, '[') + std::string(depth - 1, ']') + "}";
    EXPECT_EQ(ScanObject(text).ok(), BoostVerdict(text) == Verdict::kAccept) << depth;
  }
}

}  // namespace
}  // namespace switchyard::json
