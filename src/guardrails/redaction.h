// Redaction: what a guardrail does with the spans the scanners found (guardrails/pii_scanner.h,
// guardrails/secret_scanner.h) when it is set to redact rather than refuse — each span replaced by
// a marker that names what was there ("[REDACTED:EMAIL]"), so the model (or the client) still sees
// that something stood there and of what kind, but not the thing itself.
//
// The scanners report spans per kind, which may overlap ("a phone inside an IBAN"); Disjoint turns
// them into the sorted, non-overlapping list Redact needs. Pure functions, safe from any thread.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "guardrails/text_span.h"

namespace switchyard::guardrails {

// `spans` sorted by begin, with overlapping or touching ones merged: a merged span keeps the kind
// of the one that starts first (on equal begins, of the longer). Empty spans are dropped.
std::vector<TextSpan> Disjoint(std::vector<TextSpan> spans);

// `text` with each span (disjoint, sorted, within the text — as Disjoint makes them) replaced by
// RedactionMarker of its kind. A span that breaks that promise is left out rather than trusted.
std::string Redact(std::string_view text, std::span<const TextSpan> spans);

// The marker for one kind: "[REDACTED:" and the kind in upper case, then "]" — "email" gives
// "[REDACTED:EMAIL]", "api_key" gives "[REDACTED:API_KEY]".
std::string RedactionMarker(std::string_view kind);

}  // namespace switchyard::guardrails
