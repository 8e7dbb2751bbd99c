#!/usr/bin/env bash
# Broadsheet's load benchmark (issue 7). Builds Release, generates a dataset, starts Broadsheet
# (page cache on, page cache off) and the ceiling app on 127.0.0.1, measures every scenario with
# wrk (2 threads, 50 connections, 10 s, 3 alternating rounds, medians) and writes a Markdown table
# to bench/results/<UTC date-time>.md. See bench/README.md.
#
#   bench/run.sh                  full run (a few minutes), results in bench/results/
#   bench/run.sh --quick          smoke test: 20 articles, 1 round of 2 s, results in a temp file;
#                                 exits non-zero when a scenario fails
#   bench/run.sh --commit HEAD    measure a clean snapshot of a commit instead of the working tree
#
# Every process it starts is stopped on exit, whatever the exit. It only ever talks to 127.0.0.1.
set -euo pipefail
export LC_ALL=C

bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$bench_dir")
invocation="bench/run.sh${*:+ $*}"

# Fixed load settings: results are comparable only when these stay the same.
readonly threads=2 connections=50
# The seeded sample article (demo content of every fresh install).
readonly article_path=/2025/08/16/putin-and-trump-discuss-ukraine-war-end-in-alaska-talks

quick=0 articles=2000 rounds=3 duration=10 warmup=5 warmup_max=90 seed=7 commit="" out="" keep=0 wait_quiet=0

usage() {
  cat <<'EOF'
Usage: bench/run.sh [--quick] [--commit REV] [--articles N] [--out FILE] [--keep] [--wait-quiet MINUTES]

  --quick        smoke test: 20 articles, 1 round of 2 s per scenario, results in a temp file
  --commit REV   build a clean snapshot of REV (git archive) instead of the working tree
  --articles N   generated articles in the dataset (default 2000; 20 with --quick)
  --out FILE     where to write the results (default bench/results/<UTC date-time>.md)
  --keep         keep the temporary folder (dataset, server logs, raw wrk output)
  --wait-quiet M before measuring, wait up to M minutes for other processes to leave the CPUs
                 idle (under 10 % busy over 5 s); a shared machine skews every figure
EOF
}

articles_given=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --commit) commit=${2:?--commit needs a revision}; shift ;;
    --articles) articles_given=${2:?--articles needs a number}; shift ;;
    --out) out=${2:?--out needs a file name}; shift ;;
    --keep) keep=1 ;;
    --wait-quiet) wait_quiet=${2:?--wait-quiet needs a number of minutes}; shift
      case "$wait_quiet" in ''|*[!0-9]*) echo "bench/run.sh: --wait-quiet takes whole minutes, not '$wait_quiet'." >&2; exit 2 ;; esac ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench/run.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

if [ "$quick" = 1 ]; then
  articles=20 rounds=1 duration=2 warmup=1 warmup_max=1
fi
if [ -n "$articles_given" ]; then
  case "$articles_given" in
    ''|*[!0-9]*|0) echo "bench/run.sh: --articles must be a whole number above 0, not '$articles_given'." >&2; exit 2 ;;
  esac
  articles=$articles_given
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

say() { printf '%s\n' "$*" >&2; }
fail() { say "bench/run.sh: $*"; exit 1; }

# ---------------------------------------------------------------------------------------------
# Clean-up: every process this script starts goes into $pids and is stopped on exit.
work=$(mktemp -d "${TMPDIR:-/tmp}/broadsheet-bench.XXXXXX")
pids=()

stop_all() {
  local pid
  for pid in "${pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  pids=()
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  stop_all
  if [ "$keep" = 1 ]; then
    say "Kept $work"
  else
    rm -rf "$work"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------------------------------------
# Tools
for tool in curl python3 git dotnet; do
  command -v "$tool" >/dev/null || fail "'$tool' is needed and not on the PATH."
done
if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "Installing wrk (apt-get install -y wrk)..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y wrk >"$work/apt.log" 2>&1 \
      || { apt-get update >>"$work/apt.log" 2>&1 && apt-get install -y wrk >>"$work/apt.log" 2>&1; } \
      || { cat "$work/apt.log" >&2; fail "could not install wrk."; }
  else
    fail "wrk is not installed. Install it with: sudo apt-get install wrk"
  fi
fi

# ---------------------------------------------------------------------------------------------
# Build (Release, published so that the app runs from its own folder as it would be deployed).
# Output goes to bench/.artifacts (or the temp folder for --commit), never to src/*/bin or obj,
# so the benchmark does not race a concurrent `dotnet build` of the solution.
if [ -n "$commit" ]; then
  commit_sha=$(git -C "$repo" rev-parse --verify "$commit^{commit}") || fail "'$commit' is not a commit."
  source_root="$work/source"
  mkdir -p "$source_root"
  git -C "$repo" archive "$commit_sha" | tar -x -C "$source_root"
  app_artifacts="$work/artifacts"
  source_description="commit $commit_sha (clean snapshot)"
  reproduce="bench/run.sh --commit $commit_sha"
else
  commit_sha=$(git -C "$repo" rev-parse HEAD)
  source_root="$repo"
  app_artifacts="$bench_dir/.artifacts"
  if [ -n "$(git -C "$repo" --no-optional-locks status --porcelain -- src Directory.Build.props Directory.Packages.props global.json)" ]; then
    source_description="working tree at $commit_sha, with uncommitted changes in src/ or the build files"
  else
    source_description="working tree at $commit_sha (no uncommitted changes in src/)"
  fi
  reproduce="git checkout $commit_sha && bench/run.sh"
fi
[ "$quick" = 1 ] && reproduce="$reproduce --quick"
[ -n "$articles_given" ] && reproduce="$reproduce --articles $articles"

publish() { # project-file artifacts-path log-name
  if ! dotnet publish "$1" -c Release --artifacts-path "$2" --nologo >"$work/$3" 2>&1; then
    grep -E 'error|Error' "$work/$3" | sort -u | head -20 >&2 || true
    fail "building $1 failed (log above)."
  fi
}
say "Building Release: Broadsheet ($source_description) and the ceiling app..."
publish "$source_root/src/Broadsheet/Broadsheet.csproj" "$app_artifacts" build-broadsheet.log
publish "$bench_dir/Ceiling/Ceiling.csproj" "$bench_dir/.artifacts" build-ceiling.log
app_dir="$app_artifacts/publish/Broadsheet/release"
ceiling_dir="$bench_dir/.artifacts/publish/Ceiling/release"
[ -f "$app_dir/Broadsheet.dll" ] || fail "no Broadsheet.dll in $app_dir after the build."
[ -f "$ceiling_dir/Ceiling.dll" ] || fail "no Ceiling.dll in $ceiling_dir after the build."
build_seconds=$SECONDS

# ---------------------------------------------------------------------------------------------
# Dataset: the sample article (seeded by `migrate`) plus N generated Markdown articles.
data_dir="$work/data"
mkdir -p "$data_dir" "$work/articles"
export ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production
export Broadsheet__Database__DataDirectory="$data_dir"

broadsheet() { # runs a CLI command of the built app from its own folder (its content root)
  (cd "$app_dir" && dotnet Broadsheet.dll "$@")
}

say "Generating $articles articles (seed $seed) and importing them..."
python3 "$bench_dir/generate-articles.py" --count "$articles" --out "$work/articles" --seed "$seed" >"$work/generate.log" \
  || { cat "$work/generate.log" >&2; fail "generating the articles failed."; }
broadsheet migrate >"$work/migrate.log" 2>&1 || { tail -20 "$work/migrate.log" >&2; fail "'migrate' failed (log above)."; }
import_start=$SECONDS
find "$work/articles" -name '*.md' | sort >"$work/articles.txt"
split -l 500 "$work/articles.txt" "$work/batch."
for batch in "$work"/batch.*; do
  mapfile -t files <"$batch"
  broadsheet import markdown "${files[@]}" >"$work/import.log" 2>&1 \
    || { tail -20 "$work/import.log" >&2; fail "importing $(basename "$batch") failed (log above)."; }
done
import_seconds=$((SECONDS - import_start))
# Issue 7's article scenarios are for a page with 50 approved comments: give the sample article 50.
broadsheet seed-demo --articles 0 --comments-per-article 0 --sample-comments 50 >"$work/seed.log" 2>&1 \
  || { tail -20 "$work/seed.log" >&2; fail "'seed-demo --sample-comments 50' failed (log above)."; }
db_bytes=$(stat -c %s "$data_dir/broadsheet.db")
markdown_average=$(sed -n 's/.*(\([0-9]*\) bytes of Markdown on average).*/\1/p' "$work/generate.log")

# ---------------------------------------------------------------------------------------------
# Servers
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# start NAME DIR LOG -- command...; sets $started_pid
start() {
  local name=$1 dir=$2 log=$3
  shift 4
  (cd "$dir" && exec "$@") >"$work/$log" 2>&1 &
  started_pid=$!
  pids+=("$started_pid")
  say "Started $name (pid $started_pid)."
}

# wait_ready NAME PID URL: polls until the URL answers 200, the process dies, or 90 s pass.
wait_ready() {
  local name=$1 pid=$2 url=$3 log=$4 deadline=$((SECONDS + 90)) code
  while [ $SECONDS -lt $deadline ]; do
    kill -0 "$pid" 2>/dev/null || { tail -30 "$work/$log" >&2; fail "$name exited before answering (log above)."; }
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$url" || true)
    [ "$code" = 200 ] && return 0
    sleep 0.2
  done
  tail -30 "$work/$log" >&2
  fail "$name did not answer 200 at $url within 90 s (last status: ${code:-none})."
}

# Both Broadsheet servers start together: the database is already migrated and seeded above.
cached_port=$(free_port)
start "Broadsheet, page cache on" "$app_dir" broadsheet-cached.log -- \
  env Broadsheet__PageCache__Enabled=true dotnet Broadsheet.dll --urls "http://127.0.0.1:$cached_port"
cached_pid=$started_pid
uncached_port=$(free_port)
while [ "$uncached_port" = "$cached_port" ]; do uncached_port=$(free_port); done
start "Broadsheet, page cache off" "$app_dir" broadsheet-uncached.log -- \
  env Broadsheet__PageCache__Enabled=false dotnet Broadsheet.dll --urls "http://127.0.0.1:$uncached_port"
uncached_pid=$started_pid
wait_ready "Broadsheet (cache on)" "$cached_pid" "http://127.0.0.1:$cached_port$article_path" broadsheet-cached.log
wait_ready "Broadsheet (cache off)" "$uncached_pid" "http://127.0.0.1:$uncached_port$article_path" broadsheet-uncached.log

# The ceiling serves as many bytes as the article page (uncompressed: wrk sends no Accept-Encoding).
article_bytes=$(curl -s -o /dev/null -w '%{size_download}' "http://127.0.0.1:$cached_port$article_path")
[ "${article_bytes:-0}" -gt 0 ] || fail "the article page came back empty."
ceiling_port=$(free_port)
while [ "$ceiling_port" = "$cached_port" ] || [ "$ceiling_port" = "$uncached_port" ]; do ceiling_port=$(free_port); done
start "ceiling app ($article_bytes bytes)" "$ceiling_dir" ceiling.log -- \
  dotnet Ceiling.dll --urls "http://127.0.0.1:$ceiling_port" --size "$article_bytes"
ceiling_pid=$started_pid
wait_ready "the ceiling app" "$ceiling_pid" "http://127.0.0.1:$ceiling_port/" ceiling.log

# ---------------------------------------------------------------------------------------------
# Scenarios: name, label, server pid, URL. Add new ones here (and their server above); scenarios
# still to come are listed in $pending so that every report says what it does not measure.
scenarios=(ceiling article-cached article-uncached front-cached front-uncached)
declare -A label pid_of url_of
add_scenario() { label[$1]=$2; pid_of[$1]=$3; url_of[$1]=$4; }
add_scenario ceiling "Ceiling app (fixed bytes)" "$ceiling_pid" "http://127.0.0.1:$ceiling_port/"
add_scenario article-cached "Article page (50 comments), cache on" "$cached_pid" "http://127.0.0.1:$cached_port$article_path"
add_scenario article-uncached "Article page (50 comments), cache off" "$uncached_pid" "http://127.0.0.1:$uncached_port$article_path"
add_scenario front-cached "Front page, cache on" "$cached_pid" "http://127.0.0.1:$cached_port/"
add_scenario front-uncached "Front page, cache off" "$uncached_pid" "http://127.0.0.1:$uncached_port/"

pending=(
  "Search, cache off: search exists now (\`/search?q=\`); the scenario is not in the harness yet."
  "Comment POST (durable accepted comments/s, p99, POST-to-visible latency on the evicted cached page): not in the harness yet (a wrk Lua script posting the real form, with the anti-flood limits raised by a bench-only setting)."
  "Scale (10 k / 100 k / 1 M articles, SQLite and PostgreSQL; \`bench/scale.sh\`): \`seed-demo\` exists now (about 180 articles with 10 comments each per second on SQLite), \`bench/scale.sh\` not yet."
)

# Each URL must answer 200 itself (wrk counts 3xx as success); its body size goes in the report.
declare -A bytes_of
for name in "${scenarios[@]}"; do
  url=${url_of[$name]}
  case "$url" in http://127.0.0.1:*) ;; *) fail "refusing to load anything but 127.0.0.1 ($url)." ;; esac
  read -r code size < <(curl -s -o /dev/null -w '%{http_code} %{size_download}\n' --max-time 30 "$url")
  [ "$code" = 200 ] || fail "${label[$name]} answered $code, not 200, at $url."
  bytes_of[$name]=$size
done

# ---------------------------------------------------------------------------------------------
# Measuring
clock_ticks=$(getconf CLK_TCK)
stat_ticks() { # utime + stime from a /proc/.../stat file, in clock ticks
  local stat
  stat=$(<"$1") || { echo 0; return; }
  stat=${stat##*) }
  # shellcheck disable=SC2086
  set -- $stat
  echo $(( ${12} + ${13} ))
}
cpu_ticks() { stat_ticks "/proc/$1/stat"; }
# CPU ticks of the runtime's tiered-compilation thread(s): while it is busy, the server is still
# replacing quick first-tier code by optimised code and is not yet at its steady speed.
jit_ticks() {
  local task total=0 comm
  for task in /proc/"$1"/task/*; do
    read -r comm 2>/dev/null <"$task/comm" || continue
    [ "$comm" = ".NET Tiered Com" ] && total=$((total + $(stat_ticks "$task/stat")))
  done
  echo "$total"
}
# The peak RSS is reset before each run when the kernel allows it (echo 5 > clear_refs), so that
# each figure is that scenario's own peak; otherwise it is the peak since the server started.
hwm_per_scenario=1
reset_peak_rss() { echo 5 >"/proc/$1/clear_refs" 2>/dev/null || hwm_per_scenario=0; }
peak_rss_kb() { sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$1/status"; }

# Busy CPU ticks of the whole machine, to see how much of it went to processes other than the
# server under test and wrk: a concurrent build or test run skews the figures. Interrupt time is
# left out: most of it is the loopback traffic of the benchmark itself.
system_busy_ticks() {
  local cpu user nice system idle iowait irq softirq steal rest
  read -r cpu user nice system idle iowait irq softirq steal rest </proc/stat
  echo $((user + nice + system + steal))
}
# User + system seconds of this script's finished children (wrk, mostly). `times` must run in this
# shell, not in a $(...) subshell, which has no children of its own yet.
children_cpu_seconds() {
  times >"$work/times"
  awk 'NR == 2 { t = 0; for (i = 1; i <= 2; i++) { split($i, p, "m"); t += p[1] * 60 + p[2] } printf "%.3f", t }' "$work/times"
}

run_wrk() { # url seconds output-file
  wrk -t"$threads" -c"$connections" -d"${2}s" --latency -s "$bench_dir/wrk-report.lua" "$1" >"$3" 2>&1 &
  local wrk_pid=$!
  pids+=("$wrk_pid")
  wait "$wrk_pid" || { cat "$3" >&2; fail "wrk failed against $1."; }
  unset 'pids[-1]'
}

field() { sed -n "s/.* $1=\([0-9]*\).*/\1/p" "$2"; }

# Optionally wait for the machine to be quiet (our servers are idle now, so the busy CPU is others').
if [ "$wait_quiet" -gt 0 ]; then
  quiet_deadline=$((SECONDS + 60 * wait_quiet))
  while :; do
    busy_before=$(system_busy_ticks)
    sleep 5
    busy_percent=$(( ($(system_busy_ticks) - busy_before) * 100 / (5 * clock_ticks * $(nproc)) ))
    [ "$busy_percent" -lt 10 ] && { say "The machine is quiet ($busy_percent % busy)."; break; }
    [ $SECONDS -ge $quiet_deadline ] && { say "The machine is still $busy_percent % busy after $wait_quiet min; measuring anyway."; break; }
    say "Other processes keep the CPUs $busy_percent % busy; waiting..."
    sleep 25
  done
fi

# Warm-up: load each scenario in chunks until the tiered JIT has gone quiet (under 0.1 CPU-s in a
# chunk, after at least two chunks), at most $warmup_max s. On 2 busy cores Broadsheet can take
# 30-60 s of load to finish tiering up; a fixed short warm-up measures the JIT, not the app.
declare -A warmed_for
if [ "$quick" = 1 ]; then
  say "Warming up ($warmup s per scenario)..."
else
  say "Warming up each scenario until the JIT is quiet ($warmup-$warmup_max s)..."
fi
for name in "${scenarios[@]}"; do
  pid=${pid_of[$name]}
  warmed=0
  while :; do
    jit_before=$(jit_ticks "$pid")
    run_wrk "${url_of[$name]}" "$warmup" "$work/warmup-$name.txt"
    jit_after=$(jit_ticks "$pid")
    warmed=$((warmed + warmup))
    [ "$quick" = 1 ] && break
    [ "$warmed" -ge $((2 * warmup)) ] && [ $(( (jit_after - jit_before) * 10 )) -lt "$clock_ticks" ] && break
    [ "$warmed" -ge "$warmup_max" ] && { say "  ${label[$name]}: the JIT was still busy after $warmed s; measuring anyway."; break; }
  done
  warmed_for[$name]=$warmed
  say "  ${label[$name]}: warmed for $warmed s."
done

measurements="$work/measurements.tsv"
: >"$measurements"
failures=()
for round in $(seq "$rounds"); do
  for name in "${scenarios[@]}"; do
    pid=${pid_of[$name]}
    out_file="$work/wrk-$name-$round.txt"
    reset_peak_rss "$pid"
    children_cpu_seconds >"$work/wrk-before"
    busy_before=$(system_busy_ticks)
    jit_before=$(jit_ticks "$pid")
    before=$(cpu_ticks "$pid")
    run_wrk "${url_of[$name]}" "$duration" "$out_file"
    after=$(cpu_ticks "$pid")
    jit_after=$(jit_ticks "$pid")
    busy_after=$(system_busy_ticks)
    children_cpu_seconds >"$work/wrk-after"
    wrk_before=$(<"$work/wrk-before") wrk_after=$(<"$work/wrk-after")
    hwm=$(peak_rss_kb "$pid")
    grep -q '^BENCH ' "$out_file" || { cat "$out_file" >&2; fail "wrk printed no summary for $name."; }
    requests=$(field requests "$out_file")
    duration_us=$(field duration_us "$out_file")
    status_errors=$(field status_errors "$out_file")
    socket_errors=$(( $(field connect_errors "$out_file") + $(field read_errors "$out_file") + $(field write_errors "$out_file") + $(field timeouts "$out_file") ))
    p50=$(field p50_us "$out_file")
    p99=$(field p99_us "$out_file")
    rps=$(awk -v r="$requests" -v d="$duration_us" 'BEGIN { printf "%.1f", (d > 0 ? r / (d / 1e6) : 0) }')
    cpu=$(awk -v t=$((after - before)) -v hz="$clock_ticks" 'BEGIN { printf "%.2f", t / hz }')
    wrk_cpu=$(awk -v a="$wrk_before" -v b="$wrk_after" 'BEGIN { printf "%.2f", b - a }')
    other_cpu=$(awk -v busy=$((busy_after - busy_before)) -v hz="$clock_ticks" -v s="$cpu" -v w="$wrk_cpu" \
      'BEGIN { o = busy / hz - s - w; printf "%.2f", (o > 0 ? o : 0) }')
    jit_cpu=$(awk -v t=$((jit_after - jit_before)) -v hz="$clock_ticks" 'BEGIN { printf "%.2f", (t > 0 ? t / hz : 0) }')
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
      "$name" "$round" "$rps" "$p50" "$p99" "$cpu" "$hwm" "$requests" "$status_errors" "$socket_errors" "$wrk_cpu" "$other_cpu" "$jit_cpu" >>"$measurements"
    say "$(printf 'round %d/%d  %-26s %9s req/s  p50 %6.2f ms  p99 %7.2f ms  non-2xx %s' \
      "$round" "$rounds" "${label[$name]}" "$rps" "$(awk -v u="$p50" 'BEGIN{print u/1000}')" \
      "$(awk -v u="$p99" 'BEGIN{print u/1000}')" "$status_errors")"
    if [ "${requests:-0}" -eq 0 ]; then
      failures+=("${label[$name]}, round $round: no requests completed.")
    fi
    if [ "${status_errors:-0}" -gt 0 ]; then
      failures+=("${label[$name]}, round $round: $status_errors responses were not 2xx/3xx.")
    fi
  done
done

# ---------------------------------------------------------------------------------------------
# Report
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print 0; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
column_of() { awk -F'\t' -v n="$1" -v c="$2" '$1 == n { print $c }' "$measurements"; }

declare -A med_rps
for name in "${scenarios[@]}"; do
  med_rps[$name]=$(column_of "$name" 3 | median)
done
ceiling_rps=${med_rps[ceiling]}

target_of() {
  case "$1" in
    article-cached) echo 0.6 ;;
    article-uncached) echo 0.1 ;;
    *) echo "" ;;
  esac
}

table() {
  echo "| Scenario | Requests/s | p50 ms | p99 ms | × ceiling | Target (issue 7) | Peak RSS MB | Server CPU s | CPU µs/request | Response bytes | Errors |"
  echo "|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|"
  local name rps p50 p99 cpu hwm ratio target verdict requests errors cpu_per_request
  for name in "${scenarios[@]}"; do
    rps=${med_rps[$name]}
    p50=$(column_of "$name" 4 | median)
    p99=$(column_of "$name" 5 | median)
    cpu=$(column_of "$name" 6 | median)
    hwm=$(column_of "$name" 7 | median)
    requests=$(column_of "$name" 8 | median)
    errors=$(awk -F'\t' -v n="$name" '$1 == n { e += $9 + $10 } END { print e + 0 }' "$measurements")
    ratio=$(awk -v a="$rps" -v c="$ceiling_rps" 'BEGIN { printf "%.2f", (c > 0 ? a / c : 0) }')
    cpu_per_request=$(awk -v c="$cpu" -v r="$requests" 'BEGIN { printf "%.0f", (r > 0 ? c * 1e6 / r : 0) }')
    target=$(target_of "$name")
    if [ -z "$target" ]; then
      verdict="–"
    elif awk -v r="$ratio" -v t="$target" 'BEGIN { exit !(r >= t) }'; then
      verdict="≥ $target × ceiling: **met**"
    else
      verdict="≥ $target × ceiling: **missed**"
    fi
    printf '| %s | %.0f | %.2f | %.2f | %s | %s | %.0f | %.2f | %s | %s | %s |\n' \
      "${label[$name]}" "$rps" "$(awk -v u="$p50" 'BEGIN { print u / 1000 }')" "$(awk -v u="$p99" 'BEGIN { print u / 1000 }')" \
      "$ratio" "$verdict" "$(awk -v k="$hwm" 'BEGIN { print k / 1024 }')" "$cpu" "$cpu_per_request" "${bytes_of[$name]}" "$errors"
  done
}

rounds_table() {
  local header="| Scenario |" rule="|---|" name round
  for round in $(seq "$rounds"); do header="$header round $round: req/s (JIT, wrk, other CPU s) |"; rule="$rule---:|"; done
  echo "$header"
  echo "$rule"
  for name in "${scenarios[@]}"; do
    printf '| %s |' "${label[$name]}"
    for round in $(seq "$rounds"); do
      awk -F'\t' -v n="$name" -v r="$round" '$1 == n && $2 == r { printf " %.0f (%.2f, %.1f, %.1f) |", $3, $13, $11, $12 }' "$measurements"
    done
    echo
  done
}

# CPU seconds that other processes (not the server under test, not wrk) took in the worst run.
other_cpu_worst=$(awk -F'\t' '$12 > m { m = $12 } END { printf "%.1f", m + 0 }' "$measurements")
capacity=$(( $(nproc) * duration ))
noisy=$(awk -v o="$other_cpu_worst" -v c="$capacity" 'BEGIN { print (o > 0.05 * c) ? 1 : 0 }')

machine() {
  local mem cpu_model os aspnet wrk_version
  mem=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
  cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
  os=$(. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME:-unknown}")
  aspnet=$(dotnet --list-runtimes | sed -n 's/^Microsoft.AspNetCore.App \([^ ]*\).*/\1/p' | tail -1)
  wrk_version=$(wrk --version 2>&1 | head -1 | sed 's/ Copyright.*//' || true)
  echo "- CPUs (\`nproc\`): $(nproc); CPU: ${cpu_model:-unknown}"
  echo "- Memory: $mem"
  echo "- Kernel: $(uname -sr); OS: $os"
  echo "- .NET SDK: $(cd "$repo" && dotnet --version); ASP.NET Core runtime: ${aspnet:-unknown}"
  echo "- wrk: $wrk_version"
}

results_dir="$bench_dir/results"
stamp=$(date -u +%Y-%m-%dT%H%M%SZ)
if [ -z "$out" ]; then
  if [ "$quick" = 1 ]; then
    out=$(mktemp "${TMPDIR:-/tmp}/broadsheet-bench-quick.$stamp.XXXXXX.md")
  else
    mkdir -p "$results_dir"
    out="$results_dir/$stamp.md"
  fi
fi

{
  echo "# Broadsheet benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')$([ "$quick" = 1 ] && echo ' (quick smoke run: not a measurement)')"
  echo
  echo "wrk, $threads threads, $connections connections, $duration s per run, $rounds round(s) alternating the scenarios after each was warmed up $([ "$quick" = 1 ] && echo "for $warmup s" || echo "until the runtime's tiered JIT went quiet (see Rounds)"); every figure is the median over the rounds. All servers and wrk share this machine's cores, on 127.0.0.1; responses uncompressed (wrk sends no \`Accept-Encoding\`)."
  echo
  table
  echo
  echo "- **× ceiling**: requests/s divided by the ceiling app's requests/s in this same run. The ceiling is a bare Kestrel minimal API (\`bench/Ceiling\`) answering a fixed byte array as large as the article page."
  if [ "$hwm_per_scenario" = 1 ]; then
    echo "- **Peak RSS**: the server's VmHWM during that scenario (reset before each run). **Server CPU**: user + system seconds the server process used during the ${duration} s run."
  else
    echo "- **Peak RSS**: the server's VmHWM since it started (this kernel did not allow resetting it). **Server CPU**: user + system seconds the server process used during the ${duration} s run."
  fi
  echo "- **Errors**: non-2xx/3xx responses plus socket errors (connect, read, write, timeout) over all rounds."
  if [ "$noisy" = 1 ]; then
    echo "- **Warning: the machine was not quiet.** Other processes used up to $other_cpu_worst CPU-seconds of the $capacity available in one run (see Rounds); the figures are lower than this machine can do."
  fi
  echo "- Cache on and cache off are two Broadsheet processes on the same SQLite file; \`Broadsheet__PageCache__Enabled=false\` turns the output cache off so that every request runs the queries and the Razor rendering."
  echo
  echo "## Targets and reference figures (issue 7)"
  echo
  echo "- Cached article page ≥ 0.6 × the ceiling: measured $(awk -v a="${med_rps[article-cached]}" -v c="$ceiling_rps" 'BEGIN { printf "%.2f", (c > 0 ? a / c : 0) }') ×."
  echo "- Uncached article page with 50 comments ≥ 0.1 × the ceiling: measured $(awk -v a="${med_rps[article-uncached]}" -v c="$ceiling_rps" 'BEGIN { printf "%.2f", (c > 0 ? a / c : 0) }') × (the sample article with 50 approved comments, 35 threads and 15 replies)."
  echo "- Reference, same wrk settings on this kind of machine, article page with 50 comments: WordPress 6 (PHP-FPM + MariaDB) about 12 requests/s, about 12,400/s behind nginx's full-page cache; Ghost 6 about 50/s. Broadsheet here: $(printf '%.0f' "${med_rps[article-uncached]}")/s uncached, $(printf '%.0f' "${med_rps[article-cached]}")/s cached."
  echo
  echo "## Not yet measured"
  echo
  for item in "${pending[@]}"; do echo "- $item"; done
  echo
  echo "## Rounds"
  echo
  echo "Requests/s of each run, with CPU-seconds used during the run by the server's tiered-JIT thread (should be near 0 once warm), by wrk, and by every other process on the machine (should be near 0 on a quiet machine). Warm-up per scenario: $(for name in "${scenarios[@]}"; do printf '%s %s s; ' "${label[$name]}" "${warmed_for[$name]}"; done | sed 's/; $//')."
  echo
  rounds_table
  echo
  echo "## Dataset"
  echo
  echo "- $articles generated articles (\`bench/generate-articles.py --seed $seed\`, ${markdown_average:-?} bytes of Markdown on average, 8 sections, 40 authors, 60 tags, dated 2024–2025) plus the seeded sample article; imported with \`Broadsheet import markdown\` in ${import_seconds} s; SQLite file $((db_bytes / 1024)) KiB."
  echo "- Article page: \`$article_path\` (the sample article). Front page: \`/\`."
  echo
  echo "## Machine"
  echo
  machine
  echo
  echo "## Source and command"
  echo
  echo "- Broadsheet built from: $source_description"
  echo "- Command run: \`$invocation\`"
  echo "- To reproduce: \`$reproduce\`"
  if [ "${#failures[@]}" -gt 0 ]; then
    echo
    echo "## Failures"
    echo
    for item in "${failures[@]}"; do echo "- $item"; done
  fi
} >"$out"

echo
table
echo
[ "$noisy" = 1 ] && say "Warning: other processes used up to $other_cpu_worst of $capacity CPU-seconds in a run; the machine was not quiet."
echo "Results: $out (build $build_seconds s, dataset and measurement $((SECONDS - build_seconds)) s)"
if [ "${#failures[@]}" -gt 0 ]; then
  say "FAILED:"
  for item in "${failures[@]}"; do say "  $item"; done
  exit 1
fi
