// Check: what one guardrail looks for (CONTRACT.md "Guardrails"), and the table that registers
// every check (checks/check_registry.cc). A check is one of three sorts, as its config says
// (config::GuardrailCheckFindsSpans and the check's stage):
// - span checks (regex, pii, secrets, words) find runs of text, which `redact` replaces and which
//   a stream's window can watch as text arrives;
// - text checks (length, json, json_schema) judge a whole text;
// - request checks (denied_params, required_metadata) judge the request's shape, not its text.
// Adding a check means one small file in checks/ with its Make function and one line in the
// registry.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "config/guardrail_config.h"
#include "core/result.h"
#include "guardrails/text_span.h"

namespace switchyard::guardrails {

// What a request check reads of a call.
struct RequestFacts {
  std::span<const std::string> fields;  // the request body's top-level field names
  std::string_view metadata_json;       // x-switchyard-metadata as sent; empty when none
};

class Check {
 public:
  virtual ~Check() = default;
  // Span checks: appends what they find in `text` (offsets into it).
  virtual void FindSpans(std::string_view /*text*/, std::vector<TextSpan>& /*out*/) const {}
  // Text checks: why `text` fails, in a few words that never quote it; nullopt when it passes.
  virtual std::optional<std::string> JudgeText(std::string_view /*text*/) const {
    return std::nullopt;
  }
  // Request checks: why the request fails; nullopt when it passes.
  virtual std::optional<std::string> JudgeRequest(const RequestFacts& /*facts*/) const {
    return std::nullopt;
  }
};

using CheckPtr = std::shared_ptr<const Check>;

struct CheckRegistration {
  std::string_view name;  // `check:` in the config
  Result<CheckPtr> (*make)(const config::GuardrailConfig& config);
};

std::span<const CheckRegistration> Checks();

// The check a guardrail's config asks for; a kConfig error when it cannot be built.
Result<CheckPtr> MakeCheck(const config::GuardrailConfig& config);

}  // namespace switchyard::guardrails
