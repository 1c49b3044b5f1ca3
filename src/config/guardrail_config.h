// The guardrails' configuration (CONTRACT.md "Guardrails"): the top-level `guardrails:` map of
// named guardrails — each with the stage it watches (`on`), its check and the check's own fields,
// what it does when the check fires (`action`) and, for outputs, how it meets a stream — and the
// lists of names that routes and keys attach. Plain values; guardrails/ compiles them.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/secret.h"

namespace switchyard::config {

enum class GuardrailStage { kInput, kOutput };
enum class GuardrailAction {
  kDeny,      // input: 400, upstream never called; output: 502 with x-should-retry: false
  kRedact,    // the matched text becomes [REDACTED:KIND] (span checks only)
  kFlag,      // recorded in the ledger and x-switchyard-guardrails; nothing changed
  kFallback,  // output only: the answer is refused and the route's next target is tried
};
// How an output guardrail meets a streamed answer.
enum class GuardrailStream {
  kWindow,  // checked as text streams, holding back only the last window_chars (span checks)
  kHold,    // the stream is held until it ends and is checked whole before any byte goes out
  kAfter,   // the stream goes out as it comes and is checked once it ended: flag only
};

std::string_view ToString(GuardrailStage stage);
std::string_view ToString(GuardrailAction action);
std::string_view ToString(GuardrailStream stream);

// The checks, by the name `check:` takes.
inline constexpr std::string_view kGuardrailChecks[] = {
    "regex",         "pii",           "secrets", "words", "length", "json", "json_schema",
    "denied_params", "required_metadata", "webhook", "llm"};

// Whether a check reports spans of a text (and so can redact and run on a stream's window).
bool GuardrailCheckFindsSpans(std::string_view check);
// Whether a check's finding can be redacted: the span checks, and a webhook (its verdict's spans).
bool GuardrailCheckCanRedact(std::string_view check);
// Whether a check asks a service outside the gateway (webhook) or a model (llm): it runs after the
// built-in checks of its stage, and on a stream only whole (hold or after).
bool GuardrailCheckIsExternal(std::string_view check);

inline constexpr std::int64_t kDefaultWebhookTimeoutMs = 1000;
inline constexpr std::int64_t kMaxWebhookTimeoutMs = 60'000;
inline constexpr std::int64_t kDefaultJudgeTimeoutMs = 30'000;  // llm: a model takes its time
inline constexpr std::int64_t kDefaultJudgeMaxTokens = 100;
inline constexpr std::size_t kMaxRubricBytes = 16 * 1024;

// A match longer than the window may be missed on a stream (README "Guardrails"): the least window
// holds the longest PII match (a spaced IBAN, 42 characters) with room for its context.
inline constexpr int kMinGuardrailWindowChars = 64;
inline constexpr int kDefaultGuardrailWindowChars = 256;
inline constexpr int kMaxGuardrailWindowChars = 64 * 1024;

struct GuardrailConfig {
  std::string name;
  GuardrailStage on = GuardrailStage::kInput;
  std::string check;  // one of kGuardrailChecks
  GuardrailAction action = GuardrailAction::kDeny;
  GuardrailStream stream = GuardrailStream::kWindow;  // outputs; the check's default when unset
  int window_chars = kDefaultGuardrailWindowChars;    // kWindow: text held back for split matches
  bool global = false;  // applied to every call, before the route's and the key's

  // The check's own fields (each check reads only its own; the loader refuses the others).
  std::string pattern;               // regex: RE2 syntax, compiled at load
  std::string kind = "match";        // regex: what its redaction marker says
  std::vector<std::string> kinds;    // pii: email, phone, credit_card, iban, ssn, ip_address
  std::vector<std::string> words;    // words: whole words, case-insensitive (ASCII)
  std::optional<std::int64_t> min_chars, max_chars;  // length: in code points
  std::string schema_json;           // json_schema: the schema as compact JSON
  std::vector<std::string> params;   // denied_params: top-level request fields refused
  std::vector<std::string> keys;     // required_metadata: keys x-switchyard-metadata must have
  std::string url;                   // webhook: http(s)://host[:port]/path, POSTed to
  std::int64_t timeout_ms = kDefaultWebhookTimeoutMs;  // webhook, llm: the exchange's deadline
  // webhook: what a timeout or a failed exchange means — deny (the check fired) or allow; unset:
  // deny on input, allow on output.
  std::optional<bool> on_timeout_allow;
  std::map<std::string, Secret> headers;  // webhook: sent with each request (an auth token)
  std::string model;                 // llm: the judge, "provider/model" or a route (its first target)
  std::string rubric;                // llm: what the text must meet
  std::int64_t max_tokens = kDefaultJudgeMaxTokens;  // llm: the judge's answer, at most
  int line = 0;
};

}  // namespace switchyard::config
