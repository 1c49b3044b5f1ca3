// The names of a request in the response cache (CONTRACT.md "Cache"):
// - the exact key: a SHA-256 of the model as the client named it (a route, or provider/model after
//   alias resolution), the scope (a gateway key's id, or "shared") and the request in canonical
//   form — messages, system prompts, tools, tool choice, response format and every parameter that
//   can change the answer — but not the stream flag and not the client's API, so an entry written
//   through one API or mode answers the other;
// - for the semantic cache, a partition (the same, but for the last user message's text, which is
//   what is embedded) so that a match never crosses a different model, system prompt, tool set,
//   response format, parameters, earlier turns or — with scope key — gateway key.
// Pure functions of their inputs.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "cache/digest.h"
#include "canonical/chat.h"
#include "config/cache_config.h"

namespace switchyard::cache {

struct CacheKeys {
  Digest exact;
  std::optional<Digest> partition;  // set when the request can be matched semantically
  std::string embed_text;           // what to embed: the last user message's text
};

// Why the cache can neither keep nor give back this request's answer (the canonical answer holds
// one choice without log-probabilities or audio); empty when it can.
std::string NotCacheable(const canonical::ChatRequest& request);

// `scope`: "key:ID" or "shared". `semantic` bounds what may be matched semantically; null: the
// call is matched exactly only, and its keys have no partition (which costs as much as the exact
// key to make).
CacheKeys KeysOf(const canonical::ChatRequest& request, std::string_view named_model,
                 std::string_view scope, const config::SemanticCacheConfig* semantic);

}  // namespace switchyard::cache
