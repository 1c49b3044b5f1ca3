// The canonical, provider-neutral model of a chat call (DESIGN.md): the only thing that crosses
// between inbound codecs (client formats) and provider adapters (wire formats) when the two differ,
// so N client formats and M wire formats need N + M translators, not N × M.
//
// The same-format pass-through path does not build these: it forwards the client's bytes with only
// the gateway-owned fields rewritten. Fields a format has and this model lacks travel in `extra`
// (a JSON object), never dropped silently: an encoder for the same dialect re-emits them, an encoder
// for another dialect either lists them as dropped or refuses the request (400 naming the field).
//
// Ownership: plain values that own everything they hold (no views). Thread-safety: none needed;
// one call's model is used by one strand at a time.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "canonical/usage.h"
#include "wire/format.h"

namespace switchyard::canonical {

enum class Role { kSystem, kUser, kAssistant, kTool };

struct ContentPart {
  enum class Kind {
    kText,
    kImageUrl,          // an http(s) image URL
    kImageBase64,       // inline image bytes
    kThinking,          // model reasoning; `data` holds its signature (empty when it has none)
    kRedactedThinking,  // opaque encrypted reasoning; `data` holds it
    kDocumentBase64,    // an inline document (PDF); media_type + data (+ filename)
  };
  Kind kind = Kind::kText;
  std::string text;        // text, or thinking text
  std::string url;         // kImageUrl
  std::string media_type;  // kImageBase64 / kDocumentBase64, e.g. "image/png"
  std::string data;        // base64 payload; kThinking: signature; kRedactedThinking: its data
  std::string detail;      // OpenAI image_url.detail ("auto" | "low" | "high"); empty when absent
  std::string filename;    // kDocumentBase64: OpenAI file.filename; empty when absent
  boost::json::value cache_control;  // Anthropic cache_control; null when absent
  // Where the client wrote this part: its JSON path in the client's own request (e.g.
  // "messages[0].content[1]", "system[0]"), for errors that name it; empty when unknown. Encoders
  // name a part by this, not by its place among canonical messages, which differs for Anthropic
  // clients (their system prompt and each tool_result block are messages of their own here).
  std::string path;
};

struct ToolCall {
  std::string id;
  std::string name;
  std::string arguments_json;  // a JSON text, as the model produced it
};

struct Message {
  Role role = Role::kUser;
  std::vector<ContentPart> content;
  std::vector<ToolCall> tool_calls;  // assistant turns
  std::string tool_call_id;          // tool results
  bool is_error = false;             // tool results that report a failure
  std::string name;                  // OpenAI participant name; empty when absent
  // The client's JSON path to this message ("messages[2]"; an Anthropic tool result: its
  // tool_result block, "messages[2].content[0]"; an Anthropic system prompt: "system"); empty
  // when unknown. See ContentPart::path.
  std::string path;
};

struct ToolDefinition {
  std::string name;
  std::string description;
  boost::json::value parameters;     // JSON schema; null when the client gave none
  std::optional<bool> strict;        // strict schema adherence, when the client said
  boost::json::value cache_control;  // Anthropic cache_control; null when absent
};

// Which tool the model may or must call.
struct ToolChoice {
  enum class Mode { kUnset, kAuto, kNone, kRequired, kNamed };
  Mode mode = Mode::kUnset;
  std::string name;                // kNamed
  std::vector<std::string> allowed;  // OpenAI allowed_tools: only these tools (empty: all)
};

// What shape the answer must take.
struct ResponseFormat {
  enum class Kind { kUnset, kText, kJsonObject, kJsonSchema };
  Kind kind = Kind::kUnset;
  std::string name;           // kJsonSchema (OpenAI requires one)
  std::string description;    // kJsonSchema, optional
  boost::json::value schema;  // kJsonSchema
  std::optional<bool> strict;
};

// Reasoning ("thinking") the client asked for.
struct Reasoning {
  enum class Mode { kUnset, kDisabled, kEnabled, kAdaptive };
  Mode mode = Mode::kUnset;
  std::optional<std::int64_t> budget_tokens;  // kEnabled with an explicit budget
  std::string effort;  // "none" | "minimal" | "low" | "medium" | "high" | "xhigh" | "max"; or empty
};

struct ChatRequest {
  std::string model;  // as the client wrote it (before routing)
  std::vector<Message> messages;  // system prompts are kSystem messages, in their places
  std::vector<ToolDefinition> tools;
  ToolChoice tool_choice;
  std::optional<bool> parallel_tool_calls;
  std::optional<std::int64_t> max_tokens;  // OpenAI max_completion_tokens || max_tokens
  std::optional<double> temperature;
  std::optional<double> top_p;
  std::optional<std::int64_t> top_k;
  std::vector<std::string> stop;
  ResponseFormat response_format;
  Reasoning reasoning;
  std::string user;  // an opaque end-user id (OpenAI user/safety_identifier, Anthropic user_id)
  bool stream = false;
  bool client_wants_stream_usage = false;
  // The client format the request was decoded from: whose fields `extra` holds. None for a
  // request no inbound codec decoded (built in code), whose `extra` no encoder may re-emit as its own.
  std::optional<wire::Format> dialect;
  boost::json::object extra;         // every field this model does not name
  // Client request headers a wire format may pass on (lower-case names, e.g. "anthropic-beta",
  // "anthropic-version"). The gateway fills this; encoders forward only the ones they know.
  std::vector<std::pair<std::string, std::string>> headers;
};

enum class FinishReason { kStop, kLength, kToolCalls, kContentFilter, kError, kUnknown };

struct ChatResponse {
  std::string id;
  std::string model;
  std::int64_t created = 0;  // unix seconds; 0 when the provider gave none (the gateway sets it)
  Message message;           // role kAssistant
  FinishReason finish_reason = FinishReason::kUnknown;
  std::string stop_sequence;  // the matched stop sequence, when the provider said
  Usage usage;
};

// One event of a translated stream. Views are not used here: events are small and translated one
// at a time. The order is: kStart first; then content events; kFinish; kUsage (any number, each
// the complete usage so far, never an increment; it may come before or after kFinish); kEnd when
// the provider marked the end. A kError may come at any point and ends the stream.
struct StreamEvent {
  enum class Kind {
    kStart,              // response_id, model, created; usage when the provider gave input counts
    kTextDelta,          // text
    kThinkingDelta,      // text
    kThinkingSignature,  // text = the signature of the thinking block that just ended
    kRedactedThinking,   // text = the block's opaque data
    kToolCallStart,      // index = tool call ordinal (0, 1, ... in order of appearance); tool_call
    kToolCallDelta,      // index = tool call ordinal; text = arguments fragment
    kFinish,             // finish_reason (+ text = matched stop sequence, if any)
    kUsage,              // usage
    kError,              // text = message; error_type = the provider's error type
    kEnd,                // the provider's end-of-stream marker
  };
  Kind kind = Kind::kTextDelta;
  int index = 0;          // tool call ordinal for kToolCallStart / kToolCallDelta
  std::string text;       // see each kind
  ToolCall tool_call;     // kToolCallStart (arguments_json holds any arguments sent with the start)
  FinishReason finish_reason = FinishReason::kUnknown;
  Usage usage;
  std::string response_id;  // kStart
  std::string model;        // kStart
  std::int64_t created = 0;  // kStart; 0 when unknown
  std::string error_type;    // kError
};

}  // namespace switchyard::canonical
