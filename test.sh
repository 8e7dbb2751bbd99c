#!/usr/bin/env bash
# Runs every test project in Release and ends with one line: "N passed, N failed, N skipped".
# Exits non-zero when anything fails (or nothing ran).
#
# Two passes over the integration suite, one per database: SQLite (with the browser tests), then
# PostgreSQL with Redis (throwaway servers on loopback, stopped at the end even when tests fail).
set -uo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
results="artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

# Chromium, the npm checkers of the browser tests, ...: installed here when missing (apt-get needs root).
if ! scripts/ensure-test-deps.sh; then
  echo "The tests' dependencies are missing (see above)."
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi

if ! dotnet build Broadsheet.slnx -c Release; then
  echo "Build failed."
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi

services=$(scripts/test-services.sh start) || {
  echo "Could not start PostgreSQL and Redis for the tests (see above)."
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
}
trap 'scripts/test-services.sh stop' EXIT
eval "$services"

test_exit=0
echo "== Pass 1: SQLite, and the browser tests"
dotnet test Broadsheet.slnx -c Release --no-build --filter "Database!=PostgresOnly" \
  --logger "trx;LogFilePrefix=sqlite" --logger "console;verbosity=normal" --results-directory "$results" || test_exit=$?

echo "== Pass 2: PostgreSQL and Redis"
BROADSHEET_TEST_DATABASE=postgres dotnet test tests/Broadsheet.Tests/Broadsheet.Tests.csproj -c Release --no-build \
  --filter "Database!=SqliteOnly" \
  --logger "trx;LogFilePrefix=postgres" --logger "console;verbosity=normal" --results-directory "$results" || test_exit=$?

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

if [ "$failed" -gt 0 ] && command -v python3 >/dev/null 2>&1; then
  scripts/failed-tests.py "$results"/*.trx
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
