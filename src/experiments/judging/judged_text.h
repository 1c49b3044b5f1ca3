// What the judge reads of a call (issue 17, "Streams and tool calls"): the request as a short
// transcript, and an answer as its text and — for a tool-call answer — its calls with their
// arguments, so that an answer that calls a tool is judged on what it called and with what. Images,
// files and thinking are left out (the judge compares what the client was given to read or run).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "canonical/chat.h"

namespace switchyard::experiments {

// "system: …\nuser: …\nassistant: …" over the request's messages (tool results as "tool: …"),
// with the offered tools' names. When longer than `max_bytes`, its beginning is cut (the last turns
// are the question) at a UTF-8 boundary and "[…]" marks the cut.
std::string RequestTranscript(const canonical::ChatRequest& request, std::size_t max_bytes);

// The answer's text parts, then one line per tool call: "[tool call] NAME(ARGUMENTS)". Cut at
// `max_bytes` (a UTF-8 boundary) with "[…]".
std::string AnswerTranscript(const canonical::ChatResponse& answer, std::size_t max_bytes);

// The "reason" of a judge's JSON verdict; empty when there is none. Cut at `max_bytes`.
std::string VerdictReason(std::string_view answer, std::size_t max_bytes);

}  // namespace switchyard::experiments
