#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/*_fuzz.cc) with ASan+UBSan into build-fuzz/ and runs each
# for $FUZZ_SECONDS seconds (default 20), starting from the seeds in tests/fuzz/corpus/<target>/.
# New corpus entries go to build-fuzz/corpus/<target>/, never into the source tree.
# Usage: scripts/fuzz.sh [target...]   (default: every target)
set -euo pipefail
cd "$(dirname "$0")/.."
FUZZ_SECONDS=${FUZZ_SECONDS:-20}
OUT=${FUZZ_BUILD_DIR:-build-fuzz}
CXX=${FUZZ_CXX:-clang++-14}

# The decoders fuzzed here must not depend on Asio/Beast, so they build from these files alone.
SOURCES=(src/sse/*.cc src/json/*.cc src/core/error.cc src/core/redact.cc
         src/core/time_text.cc src/http/header_value.cc src/http/retry_after.cc
         src/providers/provider_error.cc src/providers/rate_limit_reset.cc
         src/providers/openai_compat/openai_rate_limits.cc
         src/providers/anthropic/anthropic_rate_limits.cc
         src/providers/openai_compat/openai_error_parser.cc
         src/providers/openai_compat/openai_stream_tap.cc
         src/providers/openai_compat/openai_usage.cc
         src/canonical/*.cc src/inbound/openai/*.cc src/inbound/anthropic/*.cc
         src/wire/*.cc src/wire/*/*.cc src/regex/*.cc src/json_schema/*.cc
         src/providers/openai_compat/openai_message_encoder.cc
         src/providers/openai_compat/openai_request_encoder.cc
         src/providers/openai_compat/openai_response_decoder.cc
         src/providers/openai_compat/openai_stream_decoder.cc
         src/providers/anthropic/anthropic_error_parser.cc
         src/providers/anthropic/anthropic_message_encoder.cc
         src/providers/anthropic/anthropic_request_encoder.cc
         src/providers/anthropic/anthropic_response_decoder.cc
         src/providers/anthropic/anthropic_stream_decoder.cc
         src/providers/anthropic/anthropic_stream_tap.cc
         src/providers/gemini/gemini_content_encoder.cc
         src/providers/gemini/gemini_error_parser.cc
         src/providers/gemini/gemini_request_encoder.cc
         src/providers/gemini/gemini_response_decoder.cc
         src/providers/gemini/gemini_stream_decoder.cc
         src/providers/gemini/gemini_stream_tap.cc
         src/guardrails/pii_scanner.cc src/guardrails/secret_scanner.cc
         src/guardrails/redaction.cc)
# Library objects get the fuzzer's coverage instrumentation without its main().
COMMON=(-std=c++20 -g -O1 -fno-sanitize-recover=all -Wall -Wextra -Werror -Isrc)
LIB_FLAGS=("${COMMON[@]}" -fsanitize=fuzzer-no-link,address,undefined)
FLAGS=("${COMMON[@]}" -fsanitize=fuzzer,address,undefined)
LAUNCHER=$(command -v ccache || true)

if [[ $# -gt 0 ]]; then
  targets=("$@")
else
  targets=()
  for f in tests/fuzz/*_fuzz.cc; do targets+=("$(basename "$f" .cc)"); done
fi

mkdir -p "$OUT/obj"
# Each shared source is compiled once (in parallel), then every target links against them.
echo "== building the shared decoders"
export CXX OUT LAUNCHER
export LIB_FLAGS_STR="${LIB_FLAGS[*]}"
printf '%s\n' "${SOURCES[@]}" | xargs -P "$(nproc)" -I{} bash -c \
    'o="$OUT/obj/$(echo "{}" | tr / _).o"; $LAUNCHER $CXX $LIB_FLAGS_STR -c "{}" -o "$o"'
OBJECTS=()
for src in "${SOURCES[@]}"; do OBJECTS+=("$OUT/obj/$(echo "$src" | tr / _).o"); done
for t in "${targets[@]}"; do
  echo "== building $t"
  $LAUNCHER "$CXX" "${FLAGS[@]}" -Itests/fuzz "tests/fuzz/$t.cc" "${OBJECTS[@]}" -lboost_json -lfmt -lre2 -o "$OUT/$t"
done

for t in "${targets[@]}"; do
  echo "== running $t for ${FUZZ_SECONDS}s"
  mkdir -p "$OUT/corpus/$t" "$OUT/artifacts/$t"
  dict=()
  [[ -f "tests/fuzz/$t.dict" ]] && dict=(-dict="tests/fuzz/$t.dict")
  seeds=()
  [[ -d "tests/fuzz/corpus/$t" ]] && seeds=("tests/fuzz/corpus/$t")
  # The first corpus directory receives new inputs; the seed directory is only read.
  "$OUT/$t" -max_total_time="$FUZZ_SECONDS" -timeout=10 -max_len=8192 -print_final_stats=1 \
      -artifact_prefix="$OUT/artifacts/$t/" "${dict[@]}" "$OUT/corpus/$t" "${seeds[@]}"
done
echo "== fuzzing finished clean"
