// SimulatedEmbedding: a deterministic stand-in for an embedding model, for `serve --demo`'s
// simulated provider and for tests of the semantic cache. No model, no randomness: the text's words
// (and word pairs, and the letter triples of each word) are feature-hashed into signed buckets, so
// paraphrases that share words score high, and questions that share few score low. It cannot see
// meaning — "5 km to miles" and "5 miles to km" share every word — which bench/semantic_eval.cc's
// table shows.
//
// The integration tests' mock provider (tests/integration/lib/mock/openai.js, model
// `test-embedder`) computes the very same floats; simulated_embedder_test.cc pins a few of them
// for that port to be checked against. Change one, change both.
//
// AnswerEmbeddingsRequest is the simulated provider's POST /v1/embeddings built on it, as a pure
// function of the request body so that it is tested without a socket.
//
// Pure functions: safe from any thread.
#pragma once

#include <boost/json/value.hpp>

#include <cstddef>
#include <string_view>
#include <vector>

namespace switchyard::demo {

// The embedding of `text`, `dims` floats of unit length (empty when dims is 0):
//   1. ASCII letters are lower-cased; a word is a run of ASCII letters, digits and non-ASCII bytes
//      (UTF-8 stays whole); every other byte separates words.
//   2. Stop words (kSimulatedStopWords in the .cc) are dropped, unless nothing else is left.
//   3. Features, each hashed with 32-bit FNV-1a over a kind byte and its bytes, then mixed with
//      murmur3's finaliser: each word ('w', weight 1), each pair of neighbouring words ('b', the
//      two words with a space between, weight 1/2), and each letter triple of "^word$" ('c',
//      weight 1/4). The mixed hash picks the bucket (hash % dims) and its top bit the sign.
//   4. The buckets (summed in double) are scaled to unit length and rounded to float. A text with
//      no words has the one feature ('e', no bytes); a vector whose buckets cancel out is the
//      first basis vector.
std::vector<float> SimulatedEmbedding(std::string_view text, std::size_t dims = 256);

inline constexpr std::size_t kSimulatedEmbeddingDims = 256;       // when `dimensions` is absent
inline constexpr std::size_t kMostSimulatedEmbeddingDims = 4096;  // a larger `dimensions` is a 400
inline constexpr std::size_t kMostEmbeddingInputs = 2048;         // OpenAI's own limit
// Inputs times dimensions: what one answer may hold (about 20 MB of JSON), so that a request
// cannot make the demo build an answer of any size.
inline constexpr std::size_t kMostEmbeddingFloats = std::size_t{1} << 20;

struct EmbeddingsAnswer {
  int status = 200;
  boost::json::value body;
};

// The answer to an OpenAI embeddings request body: `input` a string or an array of strings (one
// data item per input, `index` i, in order), `dimensions` (1..4096, default 256), `encoding_format`
// "float" (default) or "base64" (little-endian float32s), `model` echoed; usage.prompt_tokens is
// about a token per 4 bytes (at least one per input). Anything else — a body that is not a JSON
// object, no model, token-id or empty input, a bad `dimensions` or format, too large an answer — is
// a 400 in OpenAI's error shape ({"error":{"message","type","param","code"}}).
EmbeddingsAnswer AnswerEmbeddingsRequest(std::string_view body);

}  // namespace switchyard::demo
