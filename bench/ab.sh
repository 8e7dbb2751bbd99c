#!/usr/bin/env bash
# A/B of two builds on one uncached page: the CPU each build spends per request, measured in
# alternating runs on the same machine, so that a change's effect is not lost in a busy machine's
# noise. What the findings in bench/README.md quote as "A/B in one run".
#
#   bench/ab.sh --base HEAD~1                      # the working tree (B) against a commit (A)
#   bench/ab.sh --base main --path / --rounds 5    # the front page, five rounds each
#
# Options: --base REV (A, required), --path URL (default: the sample article with 50 comments),
# --rounds N (default 3), --articles N (dataset size, default 20), --warm SECONDS (per build,
# default 40; the runtime tiers up its JIT for 30-60 s under load). Both builds serve the same
# SQLite dataset with the page cache off (Broadsheet__PageCache__Enabled=false); each round loads
# A, then B, with `wrk -t2 -c20 -d10s` and reads the server's user+system CPU from /proc.
set -euo pipefail

bench_dir=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$bench_dir/.." && pwd)
base="" path="/2025/08/16/putin-and-trump-discuss-ukraine-war-end-in-alaska-talks" rounds=3 articles=20 warm=40
while [ $# -gt 0 ]; do
  case "$1" in
    --base) base=$2; shift 2 ;;
    --path) path=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --articles) articles=$2; shift 2 ;;
    --warm) warm=$2; shift 2 ;;
    *) echo "Unknown option $1 (see the top of $0)." >&2; exit 2 ;;
  esac
done
[ -n "$base" ] || { echo "Say which build to compare with: --base REV." >&2; exit 2; }
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

work=$(mktemp -d /tmp/broadsheet-ab.XXXXXX)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT INT TERM

echo "Building A ($base) and B (the working tree)..."
mkdir -p "$work/src-a"
git -C "$repo" archive "$base" | tar -x -C "$work/src-a"
dotnet publish "$work/src-a/src/Broadsheet/Broadsheet.csproj" -c Release --artifacts-path "$work/a" --nologo >"$work/build-a.log" 2>&1 \
  || { tail -20 "$work/build-a.log" >&2; exit 1; }
dotnet publish "$repo/src/Broadsheet/Broadsheet.csproj" -c Release --artifacts-path "$work/b" --nologo >"$work/build-b.log" 2>&1 \
  || { tail -20 "$work/build-b.log" >&2; exit 1; }

export ASPNETCORE_ENVIRONMENT=Production Broadsheet__Database__DataDirectory="$work/data"
app() { (cd "$work/$1/publish/Broadsheet/release" && exec dotnet Broadsheet.dll "${@:2}"); }
# Run with & : the background subshell becomes the server, so $! is the process whose CPU is read.
serve() { cd "$work/$1/publish/Broadsheet/release" && Broadsheet__PageCache__Enabled=false exec dotnet Broadsheet.dll --urls "http://127.0.0.1:$2"; }

echo "Dataset: $articles generated articles and the sample article with 50 comments (B's migrations)..."
app b migrate >"$work/migrate.log" 2>&1 || { tail -20 "$work/migrate.log" >&2; exit 1; }
python3 "$bench_dir/generate-articles.py" --count "$articles" --out "$work/articles" --seed 7 >/dev/null
mapfile -t files < <(find "$work/articles" -name '*.md' | sort)
app b import markdown "${files[@]}" >"$work/import.log" 2>&1 || { tail -20 "$work/import.log" >&2; exit 1; }
app b seed-demo --articles 0 --comments-per-article 0 --sample-comments 50 >"$work/seed.log" 2>&1 || { tail -20 "$work/seed.log" >&2; exit 1; }

port_a=$((20000 + RANDOM % 20000)) port_b=$((port_a + 1))
serve a "$port_a" >"$work/server-a.log" 2>&1 & pids+=($!); pid_a=$!
serve b "$port_b" >"$work/server-b.log" 2>&1 & pids+=($!); pid_b=$!
for port in "$port_a" "$port_b"; do
  for _ in $(seq 120); do curl -sf -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.5; done
  status=$(curl -s -o /dev/null -w "%{http_code}" "http://127.0.0.1:$port$path")
  [ "$status" = 200 ] || { echo "http://127.0.0.1:$port$path answered $status." >&2; exit 1; }
done
a_bytes=$(curl -s "http://127.0.0.1:$port_a$path" | wc -c) b_bytes=$(curl -s "http://127.0.0.1:$port_b$path" | wc -c)
echo "Warming each build for $warm s ($path: A $a_bytes bytes, B $b_bytes bytes)..."
wrk -t2 -c20 -d"${warm}s" "http://127.0.0.1:$port_a$path" >/dev/null
wrk -t2 -c20 -d"${warm}s" "http://127.0.0.1:$port_b$path" >/dev/null

cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"; }
measure() { # name pid port
  local before after out requests
  before=$(cpu_seconds "$2")
  out=$(wrk -t2 -c20 -d10s "http://127.0.0.1:$3$path")
  after=$(cpu_seconds "$2")
  requests=$(echo "$out" | awk '/requests in/ { print $1 }')
  printf '%s  %8s req/s  %6.2f ms CPU per request\n' "$1" "$(echo "$out" | awk '/Requests\/sec/ { print $2 }')" \
    "$(echo "$before $after $requests" | awk '{ print ($2 - $1) * 1000 / $3 }')"
}
for round in $(seq "$rounds"); do
  echo "round $round/$rounds"
  measure "A ($base)" "$pid_a" "$port_a"
  measure "B (working tree)" "$pid_b" "$port_b"
done
