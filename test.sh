#!/usr/bin/env bash
# Runs every test project in Release and ends with one line: "N passed, N failed, N skipped".
# Exits non-zero when anything fails (or nothing ran).
set -uo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
results="artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

if ! dotnet build Broadsheet.slnx -c Release; then
  echo "Build failed."
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi

dotnet test Broadsheet.slnx -c Release --no-build \
  --logger "trx" --logger "console;verbosity=normal" --results-directory "$results"
test_exit=$?

passed=0 failed=0 total=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  get() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  total=$((total + $(get total)))
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
done
skipped=$((total - passed - failed))
if [ "$skipped" -lt 0 ]; then skipped=0; fi

if [ "$total" -eq 0 ] && [ "$failed" -eq 0 ]; then
  echo "No tests ran."
  failed=1
fi
if [ "$test_exit" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "The test run failed without a failed test (exit $test_exit): counting it as one failure."
  failed=1
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
