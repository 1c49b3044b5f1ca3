#include "cache/cache_key.h"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <array>

namespace switchyard::cache {
namespace {

namespace json = boost::json;
using canonical::ContentPart;
using canonical::Message;
using canonical::Role;

// Fields of a client's request that cannot change the answer: how it is delivered, who asked,
// and what the provider may do with it afterwards.
constexpr std::array<std::string_view, 9> kNotAnswerChanging = {
    "stream", "stream_options", "metadata", "user", "store", "service_tier", "safety_identifier",
    "prompt_cache_key", "prompt_cache_retention"};

bool AnswerChanging(std::string_view field) {
  return std::find(kNotAnswerChanging.begin(), kNotAnswerChanging.end(), field) ==
         kNotAnswerChanging.end();
}

// The same JSON with every object's members in byte order: two clients that write a field's
// members in another order mean the same.
json::value Sorted(const json::value& value) {
  if (value.is_array()) {
    json::array out;
    for (const json::value& item : value.as_array()) out.push_back(Sorted(item));
    return out;
  }
  if (!value.is_object()) return value;
  std::vector<std::pair<std::string_view, const json::value*>> members;
  for (const auto& member : value.as_object()) members.emplace_back(member.key(), &member.value());
  std::sort(members.begin(), members.end());
  json::object out;
  for (const auto& [key, member] : members) out[key] = Sorted(*member);
  return out;
}

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kSystem: return "system";
    case Role::kUser: return "user";
    case Role::kAssistant: return "assistant";
    case Role::kTool: return "tool";
  }
  return "?";
}

// A part as the model sees it: where the client wrote it (`path`) and prompt-cache markers
// (`cache_control`) do not change the answer.
json::object PartJson(const ContentPart& part) {
  return {{"k", static_cast<int>(part.kind)}, {"t", part.text},      {"u", part.url},
          {"m", part.media_type},            {"d", part.data},      {"dt", part.detail},
          {"f", part.filename}};
}

json::object MessageJson(const Message& message) {
  json::array content;
  for (const ContentPart& part : message.content) content.push_back(PartJson(part));
  json::array calls;
  for (const canonical::ToolCall& call : message.tool_calls) {
    calls.push_back({{"id", call.id}, {"n", call.name}, {"a", call.arguments_json}});
  }
  return {{"r", RoleName(message.role)}, {"c", std::move(content)}, {"tc", std::move(calls)},
          {"id", message.tool_call_id},  {"e", message.is_error},   {"n", message.name}};
}

template <typename T>
json::value OrNull(const std::optional<T>& value) {
  return value ? json::value(*value) : json::value(nullptr);
}

// Everything but the messages: tools, choices, format, parameters, the format's own fields.
json::object SettingsJson(const canonical::ChatRequest& request) {
  json::array tools;
  for (const canonical::ToolDefinition& tool : request.tools) {
    tools.push_back({{"n", tool.name}, {"d", tool.description}, {"p", Sorted(tool.parameters)},
                     {"s", OrNull(tool.strict)}});
  }
  json::array allowed(request.tool_choice.allowed.begin(), request.tool_choice.allowed.end());
  json::array stop(request.stop.begin(), request.stop.end());
  json::object extra;
  for (const auto& member : request.extra) {
    if (AnswerChanging(member.key())) extra[member.key()] = member.value();
  }
  const canonical::ResponseFormat& format = request.response_format;
  const canonical::Reasoning& reasoning = request.reasoning;
  return {{"tools", std::move(tools)},
          {"tc", {static_cast<int>(request.tool_choice.mode), request.tool_choice.name,
                  std::move(allowed)}},
          {"ptc", OrNull(request.parallel_tool_calls)},
          {"max", OrNull(request.max_tokens)},
          {"temp", OrNull(request.temperature)},
          {"top_p", OrNull(request.top_p)},
          {"top_k", OrNull(request.top_k)},
          {"stop", std::move(stop)},
          {"rf", {static_cast<int>(format.kind), format.name, format.description,
                  Sorted(format.schema), OrNull(format.strict)}},
          {"rs", {static_cast<int>(reasoning.mode), OrNull(reasoning.budget_tokens),
                  reasoning.effort}},
          {"x", Sorted(extra)}};
}

std::string TextOf(const Message& message) {
  std::string text;
  for (const ContentPart& part : message.content) {
    if (part.kind != ContentPart::Kind::kText) return {};  // an image: matched exactly only
    if (!text.empty()) text += '\n';
    text += part.text;
  }
  return text;
}

// The last user message's text, when the request may be matched semantically: it ends with a user
// message of text alone, within the bounds.
std::optional<std::string> SemanticText(const canonical::ChatRequest& request,
                                        const config::SemanticCacheConfig& semantic) {
  if (request.messages.empty() || request.messages.back().role != Role::kUser) return std::nullopt;
  const auto turns = std::count_if(request.messages.begin(), request.messages.end(),
                                   [](const Message& m) { return m.role != Role::kSystem; });
  if (turns > semantic.max_messages) return std::nullopt;
  std::string text = TextOf(request.messages.back());
  if (text.empty() || text.size() > semantic.max_text_bytes) return std::nullopt;
  return text;
}

}  // namespace

std::string NotCacheable(const canonical::ChatRequest& request) {
  if (const json::value* n = request.extra.if_contains("n")) {
    if (!(n->is_int64() && n->as_int64() == 1) && !(n->is_uint64() && n->as_uint64() == 1)) {
      return "n asks for more than one choice";
    }
  }
  if (const json::value* logprobs = request.extra.if_contains("logprobs")) {
    if (!(logprobs->is_bool() && !logprobs->as_bool()) && !logprobs->is_null()) {
      return "logprobs are not kept in the cache";
    }
  }
  if (request.extra.contains("audio")) return "audio answers are not kept in the cache";
  return {};
}

CacheKeys KeysOf(const canonical::ChatRequest& request, std::string_view named_model,
                 std::string_view scope, const config::SemanticCacheConfig* semantic) {
  json::object head = {{"model", named_model}, {"scope", scope},
                       {"settings", SettingsJson(request)}};
  json::array messages;
  for (const Message& message : request.messages) messages.push_back(MessageJson(message));
  CacheKeys keys;
  std::optional<std::string> text =
      semantic ? SemanticText(request, *semantic) : std::optional<std::string>();
  if (text) {
    json::array context(messages.begin(), messages.end() - 1);  // all but the last user turn
    json::object partition = head;
    partition["context"] = std::move(context);
    keys.partition = Digest::Of("semantic\n" + json::serialize(partition));
    keys.embed_text = std::move(*text);
  }
  head["messages"] = std::move(messages);
  keys.exact = Digest::Of("exact\n" + json::serialize(head));
  return keys;
}

}  // namespace switchyard::cache
