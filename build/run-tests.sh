#!/usr/bin/env bash
# Runs every test project (already built) and prints one closing line: "tests: N passed, N failed, N skipped".
# Exits non-zero when any test project fails, any test fails, or no test ran at all.
set -uo pipefail
config="${1:-Release}"
root="$(cd "$(dirname "$0")/.." && pwd)"
log="$(mktemp)"
status=0
for proj in "$root"/tests/*/*.csproj; do
  echo "== $(basename "$proj" .csproj)"
  project_log="$(mktemp)"
  dotnet test "$proj" -c "$config" --no-build --nologo -v quiet --logger "console;verbosity=normal" >"$project_log" 2>&1
  code=$?
  grep -vE '^\s*$' "$project_log" | grep -vE '^\s+Passed ' || true
  cat "$project_log" >>"$log"
  rm -f "$project_log"
  if [ "$code" -ne 0 ]; then status=1; fi
done
passed=$(grep -Eo 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -Eo 'Skipped: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
if grep -qE '^\s+Failed [A-Za-z_]' "$log"; then
  # Repeat each failure (name, message, first stack lines) here, so the last lines of a long CI log say what failed.
  echo "== failed tests"
  grep -A12 -E '^\s+Failed [A-Za-z_]' "$log" | grep -vE '^\s*$' | head -120
fi
rm -f "$log"
echo "tests: ${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$passed" -eq 0 ]; then echo "no test ran" >&2; exit 1; fi
if [ "$failed" -ne 0 ]; then status=1; fi
exit $status
