#!/usr/bin/env bash
# Installs what the tests need beyond the .NET SDK, when it is missing; otherwise does nothing.
# Idempotent: ./test.sh and .ci/run call it on every run.
#   - Debian packages (apt-get, as root).
#   - The browser tests' npm checkers (axe-core, html-validate), with `npm ci` when node_modules is
#     missing or package-lock.json has changed since the last install.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the test suites use. Add a suite's server here (postgresql, redis-server, ...).
#   chromium          the browser the Playwright tests drive (/usr/bin/chromium; no browser is downloaded)
#   fonts-liberation  the serif the stylesheet names, so screenshots look as they do for readers
#   postgresql        the second database every integration test also runs on (scripts/test-services.sh)
#   redis-server      the shared cache and keys of the multi-node tests (scripts/test-services.sh)
debian_packages=(chromium fonts-liberation postgresql redis-server)

missing=()
for package in "${debian_packages[@]}"; do
  if ! dpkg-query -W -f='${Status}\n' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "The tests need Debian packages that are not installed: ${missing[*]}" >&2
    echo "Install them with: sudo apt-get install ${missing[*]}   (or run scripts/ensure-test-deps.sh as root)" >&2
    exit 1
  fi
  echo "Installing Debian packages for the tests: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q "${missing[@]}"
fi

# npm packages of the browser tests, exactly as locked.
browser_tests=tests/Broadsheet.BrowserTests
# html-validate 10 needs Node.js 20.19 or newer (the machines come with Node.js 20 and npm).
if ! command -v npm >/dev/null 2>&1 \
  || ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)' 2>/dev/null; then
  echo "The browser tests need Node.js 20.19 or newer with npm (for axe-core and html-validate); found: $(node --version 2>/dev/null || echo 'no node')." >&2
  exit 1
fi

stamp="$browser_tests/node_modules/.installed-from-lock.sha256"
lock_hash=$(sha256sum "$browser_tests/package-lock.json" | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_hash" ]; then
  echo "Installing the browser tests' npm packages (npm ci in $browser_tests)"
  (cd "$browser_tests" && npm ci --ignore-scripts --no-audit --no-fund)
  echo "$lock_hash" > "$stamp"
fi
