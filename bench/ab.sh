#!/usr/bin/env bash
# A/B of two builds on one uncached page: the CPU each build spends per request, measured in
# alternating runs on the same machine, so that a change's effect is not lost in a busy machine's
# noise. What the findings in bench/README.md quote as "A/B in one run".
#
#   bench/ab.sh --base HEAD~1                      # the working tree (B) against a commit (A)
#   bench/ab.sh --base main --path / --rounds 5    # the front page, five rounds each
#   bench/ab.sh --base HEAD~1 --post               # the comment POST: CPU per accepted comment
#
# Options: --base REV (A, required), --path URL (default: the sample article with 50 comments),
# --rounds N (default 3), --articles N (dataset size, default 20), --warm SECONDS (per build,
# default 40; the runtime tiers up its JIT for 30-60 s under load). Both builds serve the same
# SQLite dataset with the page cache off (Broadsheet__PageCache__Enabled=false); each round loads
# A, then B, with `wrk -t2 -c20 -d10s` and reads the server's user+system CPU from /proc.
#
# --post measures run.sh's comment POST scenario instead: the page cache on, each build posting
# the real form (wrk-comment.lua, read-form.py) to its own generated article with run.sh's bench
# settings (no per-commenter wait, first-time commenters not held, so every comment is approved
# and evicts cached pages), `wrk -t2 -c50 -d10s`; it reports accepted comments/s, p99 and CPU per
# accepted comment.
set -euo pipefail

bench_dir=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$bench_dir/.." && pwd)
base="" path="/2025/08/16/putin-and-trump-discuss-ukraine-war-end-in-alaska-talks" rounds=3 articles=20 warm=40 post=false
while [ $# -gt 0 ]; do
  case "$1" in
    --base) base=$2; shift 2 ;;
    --path) path=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --articles) articles=$2; shift 2 ;;
    --warm) warm=$2; shift 2 ;;
    --post) post=true; shift ;;
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
if $post; then
  serve() {
    cd "$work/$1/publish/Broadsheet/release" && Broadsheet__PageCache__Enabled=true Broadsheet__Comments__SecondsBetweenComments=0 \
      Broadsheet__Comments__HoldFirstTimeCommenters=false exec dotnet Broadsheet.dll --urls "http://127.0.0.1:$2"
  }
else
  serve() { cd "$work/$1/publish/Broadsheet/release" && Broadsheet__PageCache__Enabled=false exec dotnet Broadsheet.dll --urls "http://127.0.0.1:$2"; }
fi

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
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"; }

if $post; then
  # Each build posts to its own generated article (the first two the front page links to).
  mapfile -t targets < <(curl -s "http://127.0.0.1:$port_a/" | grep -o 'href="/[0-9]\{4\}/[0-9][0-9]/[0-9][0-9]/[^"#?]*"' \
    | sed 's/^href="//; s/"$//' | grep -vxF "$path" | awk '!seen[$0]++' | head -2)
  [ "${#targets[@]}" = 2 ] || { echo "The front page links to fewer than two generated articles." >&2; exit 1; }
  target_a=${targets[0]} target_b=${targets[1]}
  for side in a b; do
    port_var=port_$side target_var=target_$side
    curl -s "http://127.0.0.1:${!port_var}${!target_var}" >"$work/form-$side.html"
    form=$(python3 "$bench_dir/read-form.py" "$work/form-$side.html") || exit 1
    printf -v "form_$side" '%s' "${form#*$'\n'}"
  done
  sleep 4 # the stamps just read must be older than Broadsheet:Comments:MinSecondsToPost (3 s)
  post_wrk() { # side seconds run-id (unique per run, so that no run posts another's texts)
    local port_var=port_$1 form_var=form_$1 target_var=target_$1
    BENCH_DIR=$bench_dir BENCH_POST_PATH=${!target_var} BENCH_POST_ORIGIN="http://127.0.0.1:${!port_var}" \
      BENCH_FORM_FIXED=${!form_var} BENCH_RUN_ID="ab-$$-$3" \
      wrk -t2 -c50 -d"${2}s" --latency -s "$bench_dir/wrk-comment.lua" "http://127.0.0.1:${!port_var}${!target_var}"
  }
  echo "Warming each build for $warm s (comment POSTs to $target_a and $target_b)..."
  post_wrk a "$warm" warm-a >/dev/null
  post_wrk b "$warm" warm-b >/dev/null
  measure() { # name pid side round
    local before after line accepted
    before=$(cpu_seconds "$2")
    line=$(post_wrk "$3" 10 "$3-$4" | grep '^BENCH ')
    after=$(cpu_seconds "$2")
    accepted=$(echo "$line" | sed 's/.* accepted=\([0-9]*\).*/\1/')
    printf '%s  %6.0f accepted/s  p99 %6.1f ms  %6.2f ms CPU per accepted comment  (%s answers not accepted)\n' "$1" \
      "$(echo "$accepted" | awk '{ print $1 / 10 }')" "$(echo "$line" | sed 's/.* p99_us=\([0-9]*\).*/\1/' | awk '{ print $1 / 1000 }')" \
      "$(echo "$before $after $accepted" | awk '{ print $3 ? ($2 - $1) * 1000 / $3 : 0 }')" "$(echo "$line" | sed 's/.* other=\([0-9]*\).*/\1/')"
  }
  for round in $(seq "$rounds"); do
    echo "round $round/$rounds"
    measure "A ($base)" "$pid_a" a "$round"
    measure "B (working tree)" "$pid_b" b "$round"
  done
  exit 0
fi

a_bytes=$(curl -s "http://127.0.0.1:$port_a$path" | wc -c) b_bytes=$(curl -s "http://127.0.0.1:$port_b$path" | wc -c)
echo "Warming each build for $warm s ($path: A $a_bytes bytes, B $b_bytes bytes)..."
wrk -t2 -c20 -d"${warm}s" "http://127.0.0.1:$port_a$path" >/dev/null
wrk -t2 -c20 -d"${warm}s" "http://127.0.0.1:$port_b$path" >/dev/null

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
