#!/usr/bin/env bash
# Fails when a folder of src/ includes one it must not (docs/architecture.md, "Folders and include
# directions"). Each rule: a folder, then the include prefixes no file in it may use.
# Usage: bash scripts/check-includes.sh   (exit 0 when every rule holds; prints each breach)
set -euo pipefail
cd "$(dirname "$0")/.."

# folder            forbidden include prefixes (space-separated)
RULES=(
  "src/inbound      providers/ gateway/ routing/"
  "src/providers    inbound/ gateway/ routing/"
  "src/wire         inbound/ providers/ gateway/ routing/ config/ http/"
  "src/canonical    inbound/ providers/ gateway/ routing/ config/ http/ wire/openai/ wire/anthropic/ wire/gemini/"
)

breaches=0
for rule in "${RULES[@]}"; do
  read -r folder forbidden <<<"$rule"
  for prefix in $forbidden; do
    if hits=$(grep -rn --include='*.h' --include='*.cc' "#include \"$prefix" "$folder"); then
      echo "$folder must not include $prefix:"
      echo "$hits" | sed 's/^/  /'
      breaches=$((breaches + 1))
    fi
  done
done

# wire/format.h is the leaf canonical/ may include: it includes nothing of the project.
if hits=$(grep -n '#include "' src/wire/format.h); then
  echo "src/wire/format.h must include no project header:"
  echo "$hits" | sed 's/^/  /'
  breaches=$((breaches + 1))
fi

if [[ $breaches -gt 0 ]]; then
  echo "include directions: $breaches rule(s) broken"
  exit 1
fi
echo "include directions: every rule holds"
