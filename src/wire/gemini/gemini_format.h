// The Gemini generateContent format's pieces that the response decoder, the stream decoder, the
// content encoder and the error parser share (wire-formats.md §4, §6.8, §6.9): body parsing, the
// candidate and parts that are read, finish reasons, usage, synthesized tool-call ids, error
// types, and the marking of thought signatures. Each mapping is written once.
//
// Thought signatures (§4.2, §6.7) travel in the canonical model as kThinking parts whose `data` is
// kSignaturePrefix + the signature. The prefix says where a signature came from: a signature is
// sent back to Gemini only when it carries it, so another provider's signature (an Anthropic one
// makes Gemini answer 400 "Base64 decoding failed") is never forwarded. ':' is outside both base64
// alphabets, so no raw signature can look marked.
//
// Pure functions over values; safe from any thread.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "canonical/chat.h"

namespace switchyard::wire::gemini {

inline constexpr std::string_view kSignaturePrefix = "gemini:";

// "gemini:" + signature: how a Gemini thoughtSignature is kept in the canonical model.
std::string MarkSignature(std::string_view signature);

// The Gemini signature inside a canonical signature; nullopt when it did not come from Gemini.
std::optional<std::string_view> UnmarkSignature(std::string_view marked);

// STOP → kStop, or kToolCalls when the turn holds function calls (Gemini ends those with STOP
// too); MAX_TOKENS → kLength; SAFETY, RECITATION, BLOCKLIST, PROHIBITED_CONTENT, SPII, LANGUAGE
// and the IMAGE_ safety, prohibited-content and recitation reasons → kContentFilter;
// MALFORMED_FUNCTION_CALL, UNEXPECTED_TOOL_CALL, TOO_MANY_TOOL_CALLS (a failed turn) → kError;
// OTHER, NO_IMAGE, IMAGE_OTHER, FINISH_REASON_UNSPECIFIED and values added later → kUnknown. The
// client encoders write kError and kUnknown as a plain stop, as §6.8 asks. An absent reason ("")
// reads as kToolCalls with function calls, else kUnknown.
canonical::FinishReason FinishReasonFromGemini(std::string_view reason, bool has_tool_calls);

// Usage from a usageMetadata object, in the canonical disjoint classes: promptTokenCount includes
// cachedContentTokenCount, so input = prompt - cached + toolUsePromptTokenCount (tool-use prompt
// tokens are billed as input and counted outside promptTokenCount); cached = cached content;
// output = candidatesTokenCount + thoughtsTokenCount (candidates excludes thoughts); reasoning =
// thoughtsTokenCount. Gemini repeats the running totals, so each object replaces the last.
canonical::Usage UsageFromGemini(const boost::json::object& usage_metadata);

// The candidate that is read: the one with index 0 (or no index), else nullptr. The gateway never
// asks for more than one.
const boost::json::object* FirstCandidate(const boost::json::object& response);

// `text` as a JSON object, or the first element of a JSON array when that is an object (Gemini's
// streaming endpoints wrap error bodies in an array, §4.5); nullopt otherwise.
std::optional<boost::json::object> ParseGeminiObject(std::string_view text);

// One part of a candidate's content, as the decoders read it.
struct PartView {
  enum class Kind { kText, kThought, kFunctionCall, kOther };
  Kind kind = Kind::kOther;
  std::string text;       // kText, kThought
  std::string signature;  // the part's thoughtSignature (unmarked); empty when none
  std::string call_id;    // kFunctionCall: Gemini's id, usually empty
  std::string call_name;  // kFunctionCall
  std::string call_args;  // kFunctionCall: args serialized; "{}" when absent or not an object
};

// Reads a part leniently: a wrong type reads as absent. inlineData, fileData, executableCode,
// codeExecutionResult and unknown parts read as kOther.
PartView ReadPart(const boost::json::object& part);

// The parts of a candidate's content; nullptr when it has none.
const boost::json::array* CandidateParts(const boost::json::object& candidate);

// A call id for a functionCall that came without one (AI Studio usually sends none):
// "call_<responseId>_<ordinal>", or "call_<ordinal>" without a responseId. Deterministic, so a
// replayed response decodes to the same ids.
std::string SynthesizeCallId(std::string_view response_id, int ordinal);

// The OpenAI-style error type for a Gemini status string (INVALID_ARGUMENT, ...), or "" for an
// unknown one: INVALID_ARGUMENT, OUT_OF_RANGE, FAILED_PRECONDITION → invalid_request_error;
// UNAUTHENTICATED → authentication_error; PERMISSION_DENIED → permission_error; NOT_FOUND →
// not_found_error; RESOURCE_EXHAUSTED → rate_limit_error; UNAVAILABLE → overloaded_error;
// DEADLINE_EXCEEDED → timeout_error; INTERNAL, UNKNOWN, ABORTED, CANCELLED → api_error.
std::string_view ErrorTypeForGeminiStatus(std::string_view status);

// The same from an HTTP status, for bodies without a status string: 401 authentication_error,
// 403 permission_error, 404 not_found_error, 429 rate_limit_error, 503 overloaded_error, 504
// timeout_error, other 5xx (and non-error statuses: an error inside a stream) api_error, other
// 4xx invalid_request_error.
std::string_view ErrorTypeForHttpStatus(int status);

}  // namespace switchyard::wire::gemini
