// Guardrail scanner benchmarks: what checking one prompt or answer for PII and secrets costs, per
// byte of text (guardrails/pii_scanner.h, guardrails/secret_scanner.h, guardrails/redaction.h).
//
//   build-bench/micro_bench --benchmark_filter=Guardrails
//
// Each runs over the same ~4 KB of English prose (a support conversation, with numbers, dates,
// versions, paths and code that must not match) holding a few real matches: an e-mail, a phone, a
// card, an IBAN, an IP address, an API key and a JWT. bytes_per_second reads as µs per KB:
// 1 GB/s is 1 µs per KB; the target is under 50 µs per KB (20 MB/s).
// - BM_GuardrailsFindPii: every PII kind.
// - BM_GuardrailsFindSecrets: every secret kind.
// - BM_GuardrailsRedact: both scans, Disjoint and Redact — what a redacting guardrail pays.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>
#include <vector>

#include "guardrails/pii_scanner.h"
#include "guardrails/redaction.h"
#include "guardrails/secret_scanner.h"

namespace switchyard::guardrails {
namespace {

// One ~1 KB paragraph of ordinary text, repeated: the matches the scanners must find, between the
// kinds of text they must read past quickly and leave alone.
std::string Prose() {
  static constexpr std::string_view kParagraph =
      "Hello, thanks for reaching out about invoice 2024-01-15. I checked version 1.2.3 of the "
      "client and the call to /v1/chat/completions returned a 429 after 3.14159 seconds, which "
      "matches the rate limit of 1,000 requests per minute on your plan. In 2023 we raised it "
      "twice. You can reach me at jane.doe@example.com or on +1 415-555-0132 between 9:30 and "
      "17:00. The card on file ends in 1111 (4111 1111 1111 1111) and refunds go to IBAN "
      "DE89 3704 0044 0532 0130 00. The requests came from 203.0.113.7 with the key "
      "sk-proj-Zx8Qm2Lp7Vt4Rk9Wn3Yb6Hc1Jd5Fs0Ga and a session token "
      "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQ. "
      "The commit 8f14e45fceea167a5a36dedd4bea2543e1f0a5b2 fixed the retry loop in "
      "RetryPolicy::NextDelay, so please update and let me know whether the problem persists. ";
  std::string text;
  while (text.size() < 4000) text += kParagraph;
  return text;
}

void BM_GuardrailsFindPii(benchmark::State& state) {
  const std::string text = Prose();
  std::vector<TextSpan> spans;
  for (auto _ : state) {
    spans.clear();
    FindPii(text, kAllPii, spans);
    benchmark::DoNotOptimize(spans.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
  state.counters["spans"] = static_cast<double>(spans.size());
}
BENCHMARK(BM_GuardrailsFindPii);

void BM_GuardrailsFindSecrets(benchmark::State& state) {
  const std::string text = Prose();
  std::vector<TextSpan> spans;
  for (auto _ : state) {
    spans.clear();
    FindSecrets(text, spans);
    benchmark::DoNotOptimize(spans.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
  state.counters["spans"] = static_cast<double>(spans.size());
}
BENCHMARK(BM_GuardrailsFindSecrets);

void BM_GuardrailsRedact(benchmark::State& state) {
  const std::string text = Prose();
  for (auto _ : state) {
    std::vector<TextSpan> spans;
    FindPii(text, kAllPii, spans);
    FindSecrets(text, spans);
    std::string redacted = Redact(text, Disjoint(std::move(spans)));
    benchmark::DoNotOptimize(redacted);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_GuardrailsRedact);

}  // namespace
}  // namespace switchyard::guardrails
