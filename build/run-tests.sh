#!/usr/bin/env bash
# Runs every test project (already built) and prints one closing line: "tests: N passed, N failed, N skipped".
set -uo pipefail
config="${1:-Release}"
root="$(cd "$(dirname "$0")/.." && pwd)"
log="$(mktemp)"
status=0
for proj in "$root"/tests/*/*.csproj; do
  echo "== $(basename "$proj" .csproj)"
  dotnet test "$proj" -c "$config" --no-build --nologo -v quiet \
    --logger "console;verbosity=normal" 2>&1 | tee -a "$log" | grep -vE '^\s*$' | grep -vE '^\s+Passed ' || true
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
done
passed=$(grep -Eo 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -Eo 'Skipped: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
rm -f "$log"
echo "tests: ${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$passed" -eq 0 ]; then echo "no test ran" >&2; exit 1; fi
exit $status
