// The texts of a request or an answer that guardrails read (CONTRACT.md "Guardrails"): system
// prompts, every message's text parts, tool calls' arguments and tool results. Never images, files
// or thinking (a signed block changes at the provider's peril). Tool arguments are JSON: a
// redaction there may only replace text inside a JSON string, and only text without quotes or
// backslashes, so the arguments stay valid JSON (KeepInJsonStrings).
#pragma once

#include <string>
#include <vector>

#include "canonical/chat.h"
#include "guardrails/text_span.h"

namespace switchyard::guardrails {

struct GuardedText {
  std::string* text;
  bool json = false;  // tool arguments
};

void AppendTexts(canonical::Message& message, std::vector<GuardedText>& out);
std::vector<GuardedText> TextsOf(canonical::ChatRequest& request);

// Where a JSON text stands after some of it: inside a string, just after a backslash there. A
// stream's tool arguments keep only this of what has gone out (guardrails/stream_guard.h).
struct JsonCursor {
  bool in_string = false;
  bool escaped = false;
};
JsonCursor Advance(JsonCursor cursor, std::string_view json);

// Of `spans` (sorted, disjoint) in the JSON text `json` — which starts at `start` — the ones that
// lie inside a string and hold no quote or backslash: those that can be replaced without breaking
// the JSON (a replacement holds neither, so it leaves the cursor where it was).
std::vector<TextSpan> KeepInJsonStrings(std::string_view json, const std::vector<TextSpan>& spans,
                                        JsonCursor start = {});

}  // namespace switchyard::guardrails
