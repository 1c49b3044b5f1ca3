#include "guardrails/redaction.h"

#include <algorithm>
#include <cstddef>

namespace switchyard::guardrails {
namespace {

constexpr std::string_view kMarkerStart = "[REDACTED:";

void AppendMarker(std::string& out, std::string_view kind) {
  out += kMarkerStart;
  for (const char c : kind) out += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  out += ']';
}

}  // namespace

std::vector<TextSpan> Disjoint(std::vector<TextSpan> spans) {
  std::erase_if(spans, [](const TextSpan& span) { return span.begin >= span.end; });
  // By begin, and the longer first on equal begins: that one is the span a merge keeps the kind of.
  std::sort(spans.begin(), spans.end(), [](const TextSpan& a, const TextSpan& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
  });
  std::vector<TextSpan> merged;
  merged.reserve(spans.size());
  for (const TextSpan& span : spans) {
    if (!merged.empty() && span.begin <= merged.back().end) {
      merged.back().end = std::max(merged.back().end, span.end);
    } else {
      merged.push_back(span);
    }
  }
  return merged;
}

std::string Redact(std::string_view text, std::span<const TextSpan> spans) {
  std::string out;
  out.reserve(text.size() + spans.size() * 24);
  std::size_t copied = 0;  // text before this is in `out`
  for (const TextSpan& span : spans) {
    if (span.begin < copied || span.begin >= span.end || span.end > text.size()) continue;
    out.append(text.substr(copied, span.begin - copied));
    AppendMarker(out, span.kind);
    copied = span.end;
  }
  out.append(text.substr(copied));
  return out;
}

std::string RedactionMarker(std::string_view kind) {
  std::string marker;
  marker.reserve(kMarkerStart.size() + kind.size() + 1);
  AppendMarker(marker, kind);
  return marker;
}

}  // namespace switchyard::guardrails
