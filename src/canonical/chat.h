// The canonical, provider-neutral model of a chat call (DESIGN.md): the only thing that crosses
// between inbound codecs (client formats) and provider adapters (wire formats) when the two differ,
// so N client formats and M wire formats need N + M translators, not N × M.
//
// The same-format pass-through path does not build these: it forwards the client's bytes with only
// the gateway-owned fields rewritten. Fields a format has and this model lacks travel in `extra`
// (a JSON object), never dropped silently.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <vector>

#include "canonical/usage.h"

namespace switchyard::canonical {

enum class Role { kSystem, kUser, kAssistant, kTool };

struct ContentPart {
  enum class Kind { kText, kImageUrl, kImageBase64, kThinking };
  Kind kind = Kind::kText;
  std::string text;        // text, or thinking text
  std::string url;         // kImageUrl
  std::string media_type;  // kImageBase64, e.g. "image/png"
  std::string data;        // kImageBase64: base64 payload; kThinking: signature
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
};

struct ToolDefinition {
  std::string name;
  std::string description;
  boost::json::value parameters;  // JSON schema
};

struct ChatRequest {
  std::string model;  // as the client wrote it (before routing)
  std::vector<Message> messages;
  std::vector<ToolDefinition> tools;
  boost::json::value tool_choice;  // null when absent
  std::optional<std::int64_t> max_tokens;
  std::optional<double> temperature;
  std::optional<double> top_p;
  std::vector<std::string> stop;
  bool stream = false;
  bool client_wants_stream_usage = false;
  boost::json::object extra;  // every field this model does not name
};

enum class FinishReason { kStop, kLength, kToolCalls, kContentFilter, kError, kUnknown };

struct ChatResponse {
  std::string id;
  std::string model;
  Message message;
  FinishReason finish_reason = FinishReason::kUnknown;
  Usage usage;
};

// One event of a translated stream. Views are not used here: events are small and translated one
// at a time.
struct StreamEvent {
  enum class Kind { kStart, kTextDelta, kThinkingDelta, kToolCallStart, kToolCallDelta, kFinish,
                    kUsage, kError };
  Kind kind = Kind::kTextDelta;
  int index = 0;          // content block or tool call index
  std::string text;       // text delta, tool arguments fragment, or error message
  ToolCall tool_call;     // kToolCallStart
  FinishReason finish_reason = FinishReason::kUnknown;
  Usage usage;
};

}  // namespace switchyard::canonical
