// PII scanner: finds personal data in a text — e-mail addresses, phone numbers, payment card
// numbers, IBANs, US social security numbers and IP addresses — so a guardrail can redact or refuse
// a prompt before it leaves the gateway, or an answer before it reaches a client.
//
// Hand-written matchers, not regular expressions: each kind is one left-to-right pass that reads
// every byte a bounded number of times, so the cost is linear in the text (a hostile megabyte of
// digits or '@' costs what a megabyte of prose does) and nothing is allocated per byte. Where a
// format has a checksum (Luhn for cards, ISO 13616 mod 97 for IBANs) a candidate must pass it;
// where it has none (phones) the matcher accepts only common layouts, because flagging ordinary
// numbers — years, prices, decimals, dates — would make a redacting guardrail mangle harmless text.
//
// Spans are byte offsets into the text; a text that is not UTF-8 is scanned all the same (only
// ASCII bytes can be part of a match, so a match never splits a multi-byte character).
// Pure functions, safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "guardrails/text_span.h"

namespace switchyard::guardrails {

enum class PiiKind : std::uint32_t {
  kEmail = 1,
  kPhone = 2,
  kCreditCard = 4,
  kIban = 8,
  kSsn = 16,
  kIpAddress = 32,
};

using PiiKinds = std::uint32_t;  // a bitmask of PiiKind
inline constexpr PiiKinds kAllPii = 63;

// The kind a configuration names: "email", "phone", "credit_card", "iban", "ssn", "ip_address".
std::optional<PiiKind> PiiKindNamed(std::string_view name);

// The same names; they are also the kinds of the spans FindPii reports. Empty for a value that is
// not one PiiKind.
std::string_view NameOf(PiiKind kind);

// Appends every match of the kinds in `kinds` to `out` (spans may overlap between kinds; the caller
// merges them, e.g. with Disjoint of guardrails/redaction.h).
void FindPii(std::string_view text, PiiKinds kinds, std::vector<TextSpan>& out);

}  // namespace switchyard::guardrails
