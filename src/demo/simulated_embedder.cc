#include "demo/simulated_embedder.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <optional>
#include <string>

namespace switchyard::demo {
namespace {

// Words that say little about which question is asked. Question words that do (why, when, where,
// who), negations (not, no, the "t" of "don't") and single letters that may be sizes or grades
// stay; "s", "ll", "re" and "ve" are what is left of "it's", "I'll", "you're" and "I've".
constexpr std::string_view kSimulatedStopWords[] = {
    "a",    "an",    "the",   "is",     "are",    "was",    "were", "be",   "been",  "am",
    "do",   "does",  "did",   "i",      "me",     "my",     "we",   "our",  "you",   "your",
    "it",   "its",   "this",  "that",   "to",     "of",     "in",   "on",   "at",    "for",
    "with", "by",    "as",    "and",    "or",     "can",    "could", "would", "should", "will",
    "please", "hi",  "hello", "thanks", "what",   "how",    "s",    "ll",   "re",    "ve"};

constexpr double kWordWeight = 1.0;
constexpr double kPairWeight = 0.5;
constexpr double kTripleWeight = 0.25;

bool IsWordByte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
}

bool IsStopWord(std::string_view word) {
  return std::find(std::begin(kSimulatedStopWords), std::end(kSimulatedStopWords), word) !=
         std::end(kSimulatedStopWords);
}

constexpr std::uint32_t kFnvOffset = 0x811c9dc5u;
constexpr std::uint32_t kFnvPrime = 0x01000193u;

std::uint32_t Fnv(std::uint32_t hash, std::string_view bytes) {
  for (const char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= kFnvPrime;
  }
  return hash;
}

// murmur3's finaliser: FNV-1a's low bits (the bucket, for a power-of-two dims) depend only on the
// input's low bits; this spreads every bit over all of them.
std::uint32_t Mix(std::uint32_t h) {
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  h *= 0xc2b2ae35u;
  h ^= h >> 16;
  return h;
}

class Buckets {
 public:
  explicit Buckets(std::size_t dims) : sums_(dims, 0.0) {}
  // A feature of `kind` whose bytes are `first`, then (when not empty) a space and `second`.
  void Add(char kind, std::string_view first, std::string_view second, double weight) {
    std::uint32_t hash = Fnv(kFnvOffset, std::string_view(&kind, 1));
    hash = Fnv(hash, first);
    if (!second.empty()) hash = Fnv(Fnv(hash, " "), second);
    const std::uint32_t mixed = Mix(hash);
    sums_[mixed % sums_.size()] += (mixed >> 31) != 0 ? -weight : weight;
  }
  std::vector<float> Unit() const {
    double squares = 0;
    for (const double sum : sums_) squares += sum * sum;
    std::vector<float> unit(sums_.size(), 0.0f);
    const double norm = std::sqrt(squares);
    if (norm == 0) {
      unit[0] = 1.0f;
      return unit;
    }
    for (std::size_t i = 0; i < sums_.size(); ++i) unit[i] = static_cast<float>(sums_[i] / norm);
    return unit;
  }

 private:
  std::vector<double> sums_;
};

std::vector<std::string> Words(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  for (const char raw : text) {
    unsigned char c = static_cast<unsigned char>(raw);
    if (c >= 'A' && c <= 'Z') c = static_cast<unsigned char>(c - 'A' + 'a');
    if (IsWordByte(c)) {
      word.push_back(static_cast<char>(c));
    } else if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

namespace json = boost::json;

EmbeddingsAnswer BadRequest(std::string_view message, std::string_view param) {
  json::value param_value = nullptr;
  if (!param.empty()) param_value = json::string(param);
  json::object error{{"message", message}, {"type", "invalid_request_error"},
                     {"param", std::move(param_value)}, {"code", nullptr}};
  return EmbeddingsAnswer{.status = 400, .body = json::object{{"error", std::move(error)}}};
}

// The inputs of `input`: a string, or a non-empty array of at most kMostEmbeddingInputs strings.
std::optional<std::vector<std::string_view>> Inputs(const json::value* input) {
  if (input == nullptr) return std::nullopt;
  if (input->is_string()) return std::vector<std::string_view>{input->get_string()};
  const json::array* list = input->if_array();
  if (list == nullptr || list->empty() || list->size() > kMostEmbeddingInputs) return std::nullopt;
  std::vector<std::string_view> inputs;
  for (const json::value& item : *list) {
    if (!item.is_string()) return std::nullopt;  // token ids: the simulation embeds text only
    inputs.push_back(item.get_string());
  }
  return inputs;
}

// `dimensions`: absent or null for the default, else an integer in 1..kMostSimulatedEmbeddingDims.
std::optional<std::size_t> Dimensions(const json::value* dimensions) {
  if (dimensions == nullptr || dimensions->is_null()) return kSimulatedEmbeddingDims;
  std::int64_t n = 0;
  if (dimensions->is_int64()) {
    n = dimensions->get_int64();
  } else if (dimensions->is_uint64() && dimensions->get_uint64() <= kMostSimulatedEmbeddingDims) {
    n = static_cast<std::int64_t>(dimensions->get_uint64());
  } else {
    return std::nullopt;
  }
  if (n < 1 || n > static_cast<std::int64_t>(kMostSimulatedEmbeddingDims)) return std::nullopt;
  return static_cast<std::size_t>(n);
}

// The floats' little-endian bytes, in base64 (the API's encoding_format "base64").
std::string Base64Floats(const std::vector<float>& values) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string bytes;
  bytes.reserve(values.size() * 4);
  for (const float value : values) {
    std::uint32_t bits = 0;
    std::memcpy(&bits, &value, sizeof bits);
    for (int shift = 0; shift < 32; shift += 8) bytes.push_back(static_cast<char>(bits >> shift));
  }
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::size_t n = std::min<std::size_t>(3, bytes.size() - i);
    std::uint32_t group = 0;
    for (std::size_t j = 0; j < 3; ++j) {
      const auto byte = j < n ? static_cast<unsigned char>(bytes[i + j]) : 0u;
      group = (group << 8) | byte;
    }
    for (std::size_t j = 0; j < 4; ++j) {
      out.push_back(j <= n ? kAlphabet[(group >> (18 - 6 * j)) & 0x3f] : '=');
    }
  }
  return out;
}

}  // namespace

EmbeddingsAnswer AnswerEmbeddingsRequest(std::string_view body) {
  boost::system::error_code ec;
  const json::value parsed = json::parse(body, ec);
  if (ec || !parsed.is_object()) {
    return BadRequest("We could not parse the JSON body of your request.", "");
  }
  const json::object& request = parsed.get_object();
  const json::value* model = request.if_contains("model");
  if (model == nullptr || !model->is_string() || model->get_string().empty()) {
    return BadRequest("you must provide a model parameter", "model");
  }
  const std::optional<std::vector<std::string_view>> inputs = Inputs(request.if_contains("input"));
  if (!inputs) {
    return BadRequest("'input' must be a string or a non-empty array of at most 2048 strings",
                      "input");
  }
  const std::optional<std::size_t> dims = Dimensions(request.if_contains("dimensions"));
  if (!dims) return BadRequest("'dimensions' must be an integer from 1 to 4096", "dimensions");
  const json::value* format = request.if_contains("encoding_format");
  const bool base64 = format != nullptr && *format == json::value("base64");
  if (format != nullptr && !format->is_null() && !base64 && *format != json::value("float")) {
    return BadRequest("'encoding_format' must be 'float' or 'base64'", "encoding_format");
  }
  if (inputs->size() * *dims > kMostEmbeddingFloats) {
    return BadRequest("too many inputs for so many dimensions in one request", "input");
  }

  json::array data;
  std::int64_t tokens = 0;
  for (std::size_t i = 0; i < inputs->size(); ++i) {
    const std::string_view text = (*inputs)[i];
    tokens += static_cast<std::int64_t>(std::max<std::size_t>(1, (text.size() + 3) / 4));
    const std::vector<float> vector = SimulatedEmbedding(text, *dims);
    json::value embedding;
    if (base64) {
      embedding = json::string(Base64Floats(vector));
    } else {
      json::array values;
      values.reserve(vector.size());
      for (const float value : vector) values.push_back(static_cast<double>(value));
      embedding = std::move(values);
    }
    data.push_back(json::object{{"object", "embedding"},
                                {"index", static_cast<std::int64_t>(i)},
                                {"embedding", std::move(embedding)}});
  }
  json::object usage{{"prompt_tokens", tokens}, {"total_tokens", tokens}};
  return EmbeddingsAnswer{
      .status = 200,
      .body = json::object{{"object", "list"}, {"data", std::move(data)},
                           {"model", *model}, {"usage", std::move(usage)}}};
}

std::vector<float> SimulatedEmbedding(std::string_view text, std::size_t dims) {
  if (dims == 0) return {};
  std::vector<std::string> words = Words(text);
  std::vector<std::string> content;
  for (const std::string& word : words) {
    if (!IsStopWord(word)) content.push_back(word);
  }
  if (content.empty()) content = std::move(words);

  Buckets buckets(dims);
  if (content.empty()) buckets.Add('e', "", "", kWordWeight);
  for (std::size_t i = 0; i < content.size(); ++i) {
    const std::string& word = content[i];
    buckets.Add('w', word, "", kWordWeight);
    if (i + 1 < content.size()) buckets.Add('b', word, content[i + 1], kPairWeight);
    const std::string marked = "^" + word + "$";
    for (std::size_t j = 0; j + 3 <= marked.size(); ++j) {
      buckets.Add('c', std::string_view(marked).substr(j, 3), "", kTripleWeight);
    }
  }
  return buckets.Unit();
}

}  // namespace switchyard::demo
