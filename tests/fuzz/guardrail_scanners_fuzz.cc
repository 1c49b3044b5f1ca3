// libFuzzer target for the guardrail scanners (guardrails/pii_scanner.h, secret_scanner.h) and
// redaction (guardrails/redaction.h), which read every prompt and answer a guardrail checks — text
// a client or a model chose. Properties: every span either scanner reports lies within the text
// and is non-empty; the secret scanner's spans come in order and do not overlap; Disjoint's spans
// are sorted, separate (not even touching) and cover every reported span; Redact of them keeps
// the text outside the spans byte for byte. The input is the text, whole.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "guardrails/pii_scanner.h"
#include "guardrails/redaction.h"
#include "guardrails/secret_scanner.h"

namespace {

using namespace switchyard::guardrails;

void CheckWithin(std::string_view text, const std::vector<TextSpan>& spans) {
  for (const TextSpan& span : spans) {
    if (span.begin >= span.end || span.end > text.size() || span.kind.empty()) std::abort();
  }
}

void CheckInOrder(const std::vector<TextSpan>& spans) {
  for (std::size_t i = 1; i < spans.size(); ++i) {
    if (spans[i].begin < spans[i - 1].end) std::abort();
  }
}

void CheckDisjoint(const std::vector<TextSpan>& found, const std::vector<TextSpan>& disjoint) {
  for (std::size_t i = 1; i < disjoint.size(); ++i) {
    if (disjoint[i].begin <= disjoint[i - 1].end) std::abort();
  }
  for (const TextSpan& span : found) {
    bool covered = false;
    for (const TextSpan& merged : disjoint) {
      covered = covered || (merged.begin <= span.begin && span.end <= merged.end);
    }
    if (!covered) std::abort();
  }
}

// The redacted text is the original with each span's bytes swapped for its marker.
void CheckRedacted(std::string_view text, const std::vector<TextSpan>& disjoint) {
  const std::string redacted = Redact(text, disjoint);
  std::string expected;
  std::size_t copied = 0;
  for (const TextSpan& span : disjoint) {
    expected.append(text.substr(copied, span.begin - copied));
    expected += RedactionMarker(span.kind);
    copied = span.end;
  }
  expected.append(text.substr(copied));
  if (redacted != expected) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<TextSpan> pii;
  FindPii(text, kAllPii, pii);
  CheckWithin(text, pii);
  std::vector<TextSpan> secrets;
  FindSecrets(text, secrets);
  CheckWithin(text, secrets);
  CheckInOrder(secrets);
  std::vector<TextSpan> all = pii;
  all.insert(all.end(), secrets.begin(), secrets.end());
  const std::vector<TextSpan> disjoint = Disjoint(all);
  CheckDisjoint(all, disjoint);
  CheckRedacted(text, disjoint);
  return 0;
}
