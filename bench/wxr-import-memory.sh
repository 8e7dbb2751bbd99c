#!/usr/bin/env bash
# Memory and speed of `import wxr` on large WordPress exports (issue 9: "a 1 GB export must not need
# 1 GB of memory"). Builds Release, generates a WXR file of each size asked for
# (bench/generate-wxr.py), imports it with the built executable into a fresh SQLite data folder and
# reports peak RSS, wall time, items/s and file size, with the resident memory sampled through the
# run, as a Markdown file in bench/results/wxr-import-<UTC date-time>.md. See bench/README.md.
#
#   bench/wxr-import-memory.sh                         one 1 GiB file (generation ~2 min, import much longer)
#   bench/wxr-import-memory.sh --size-mb 64 --size-mb 256    two sizes: a flat memory line shows as equal peaks
#
# Every process it starts is stopped on exit, whatever the exit.
set -euo pipefail
export LC_ALL=C

bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$bench_dir")
invocation="bench/wxr-import-memory.sh${*:+ $*}"

sizes=() seed=7 out="" keep=0 sample_seconds=1

usage() {
  cat <<'EOF'
Usage: bench/wxr-import-memory.sh [--size-mb N]... [--seed S] [--out FILE] [--keep]

  --size-mb N   size of a generated export in MiB (repeatable; default 1024)
  --seed S      generator seed (default 7): the same seed and size give the same file
  --out FILE    where to write the results (default bench/results/wxr-import-<UTC date-time>.md)
  --keep        keep the temporary folder (generated files, databases, logs)
EOF
}

while [ $# -gt 0 ]; do
  case "$1" in
    --size-mb) sizes+=("${2:?--size-mb needs a number}"); shift
      case "${sizes[-1]}" in ''|*[!0-9]*|0) echo "bench/wxr-import-memory.sh: --size-mb takes a whole number of MiB above 0, not '${sizes[-1]}'." >&2; exit 2 ;; esac ;;
    --seed) seed=${2:?--seed needs a number}; shift ;;
    --out) out=${2:?--out needs a file name}; shift ;;
    --keep) keep=1 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench/wxr-import-memory.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
[ "${#sizes[@]}" -gt 0 ] || sizes=(1024)

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

say() { printf '%s\n' "$*" >&2; }
fail() { say "bench/wxr-import-memory.sh: $*"; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/broadsheet-wxr-bench.XXXXXX")
pids=()
cleanup() {
  local status=$? pid
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "$keep" = 1 ]; then say "Kept $work"; else rm -rf "$work"; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

for tool in python3 dotnet git; do
  command -v "$tool" >/dev/null || fail "'$tool' is needed and not on the PATH."
done
[ -x /usr/bin/time ] || fail "/usr/bin/time is needed for the peak RSS (Debian: apt-get install time)."

# Build: published like bench/run.sh does, into bench/.artifacts, never into src/*/bin or obj.
commit_sha=$(git -C "$repo" rev-parse HEAD)
if [ -n "$(git -C "$repo" --no-optional-locks status --porcelain -- src Directory.Build.props Directory.Packages.props global.json)" ]; then
  source_description="working tree at $commit_sha, with uncommitted changes in src/ or the build files"
else
  source_description="working tree at $commit_sha (no uncommitted changes in src/)"
fi
say "Building Release ($source_description)..."
if ! dotnet publish "$repo/src/Broadsheet/Broadsheet.csproj" -c Release --artifacts-path "$bench_dir/.artifacts" --nologo >"$work/build.log" 2>&1; then
  grep -E 'error|Error' "$work/build.log" | sort -u | head -20 >&2 || true
  fail "the build failed (log above)."
fi
app_dir="$bench_dir/.artifacts/publish/Broadsheet/release"
[ -f "$app_dir/Broadsheet.dll" ] || fail "no Broadsheet.dll in $app_dir after the build."
export ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production

# One size: generate, migrate a fresh data folder, import under /usr/bin/time while sampling RSS.
rows=() timelines=() summaries=()
measure() {
  local size_mb=$1 dir="$work/$1mb" file generated file_bytes pid child rss start elapsed
  mkdir -p "$dir/data"
  file="$dir/export.xml"
  say "[$size_mb MiB] generating the export (seed $seed)..."
  generated=$(python3 "$bench_dir/generate-wxr.py" --size-mb "$size_mb" --seed "$seed" --out "$file") \
    || fail "generating the $size_mb MiB export failed."
  say "  $generated"
  file_bytes=$(stat -c %s "$file")

  export Broadsheet__Database__DataDirectory="$dir/data"
  (cd "$app_dir" && dotnet Broadsheet.dll migrate) >"$dir/migrate.log" 2>&1 || { tail -20 "$dir/migrate.log" >&2; fail "'migrate' failed."; }

  say "[$size_mb MiB] importing (the progress bars are in $dir/import.err)..."
  start=$(date +%s.%N)
  (cd "$app_dir" && exec /usr/bin/time -v -o "$dir/time.txt" dotnet Broadsheet.dll import wxr "$file") >"$dir/import.out" 2>"$dir/import.err" &
  pid=$!
  pids+=("$pid")
  # The resident set of the importer (the child of time), every second: a flat line is the claim.
  : >"$dir/rss.tsv"
  while kill -0 "$pid" 2>/dev/null; do
    child=$(pgrep -P "$pid" -x dotnet | head -1 || true)
    if [ -n "$child" ] && rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$child/status" 2>/dev/null) && [ -n "$rss" ]; then
      elapsed=$(awk -v s="$start" -v n="$(date +%s.%N)" 'BEGIN { printf "%.1f", n - s }')
      printf '%s\t%s\n' "$elapsed" "$rss" >>"$dir/rss.tsv"
    fi
    sleep "$sample_seconds"
  done
  wait "$pid" || { tail -c 2000 "$dir/import.err" >&2; fail "the import of the $size_mb MiB export failed (exit status above)."; }
  unset 'pids[-1]'

  local peak_kb wall user sys posts pages comments items seconds db_bytes rows_check
  peak_kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$dir/time.txt")
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { print $2 }' "$dir/time.txt")
  user=$(awk -F': ' '/User time/ { print $2 }' "$dir/time.txt")
  sys=$(awk -F': ' '/System time/ { print $2 }' "$dir/time.txt")
  seconds=$(awk -v w="$wall" 'BEGIN { n = split(w, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }')
  summary=$(grep '^Imported' "$dir/import.out" || true)
  [ -n "$summary" ] || fail "the import printed no summary (see $dir/import.out)."
  read -r posts pages comments < <(sed -E 's/.*: ([0-9,]+) post\(s\), ([0-9,]+) page\(s\), ([0-9,]+) comment\(s\).*/\1 \2 \3/; s/,//g' <<<"$summary")
  items=$((posts + pages + comments))
  db_bytes=$(stat -c %s "$dir/data/broadsheet.db")
  # What the database holds, read through a connection of its own: the summary is not taken on trust.
  rows_check=$(python3 -c 'import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print(*(db.execute(f"select count(*) from {t}").fetchone()[0] for t in ("Articles", "Comments")))' "$dir/data/broadsheet.db")
  say "  $summary"
  say "  peak RSS $((peak_kb / 1024)) MiB, wall $wall, database rows (articles, comments): $rows_check"

  rows+=("$(awk -v mb="$size_mb" -v fb="$file_bytes" -v pk="$peak_kb" -v s="$seconds" -v u="$user" -v sy="$sys" \
    -v p="$posts" -v pg="$pages" -v c="$comments" -v i="$items" -v db="$db_bytes" 'BEGIN {
      printf "| %d MiB | %.0f | %d | %d | %d | %.0f | %.0f | %.0f | %.1f | %.0f | %.0f | %.0f |",
        mb, fb / 1048576, p, pg, c, pk / 1024, (pk / 1024) / (fb / 1048576) * 100, s, u + sy, i / s, (p + pg) / s, db / 1048576 }')")
  # The sampled RSS at ten points of the run, to see that it does not climb with the file read.
  timelines+=("$(awk -F'\t' -v mb="$size_mb" '{ t[NR] = $1; r[NR] = $2 } END {
      line = "| " mb " MiB |"
      for (k = 1; k <= 10; k++) { i = int(NR * k / 10); if (i < 1) i = 1; line = line sprintf(" %.0f s: %.0f |", t[i], r[i] / 1024) }
      print line }' "$dir/rss.tsv")")
  summaries+=("- $size_mb MiB: ${generated#*: }; the import said: \"$summary\" $(grep '^Not imported' "$dir/import.out" || true) The database holds $(cut -d' ' -f1 <<<"$rows_check") articles (with the seeded sample) and $(cut -d' ' -f2 <<<"$rows_check") comments.")
  [ "$keep" = 1 ] || rm -f "$file"
}

total_start=$SECONDS
for size in "${sizes[@]}"; do
  measure "$size"
done

machine() {
  local mem cpu_model os
  mem=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
  cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
  os=$(. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME:-unknown}")
  echo "- CPUs (\`nproc\`): $(nproc); CPU: ${cpu_model:-unknown}; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- Memory: $mem"
  echo "- Kernel: $(uname -sr); OS: $os"
  echo "- .NET SDK: $(cd "$repo" && dotnet --version); GC: the app's default (Server GC, as \`Broadsheet.runtimeconfig.json\` says)"
}

stamp=$(date -u +%Y-%m-%dT%H%M%SZ)
if [ -z "$out" ]; then
  mkdir -p "$bench_dir/results"
  out="$bench_dir/results/wxr-import-$stamp.md"
fi
reproduce="git checkout $commit_sha && $invocation"
{
  echo "# WordPress import at scale, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "\`import wxr FILE\` of the Release build into a fresh SQLite data folder (\`migrate\` first), one process per file, measured by \`/usr/bin/time -v\`; the file is generated by \`bench/generate-wxr.py --seed $seed\`."
  echo
  echo "| Export | File MiB | Posts | Pages | Comments | Peak RSS MiB | Peak RSS / file | Wall s | CPU s | Items/s | Articles/s | Database MiB |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for row in "${rows[@]}"; do echo "$row"; done
  echo
  echo "- **Peak RSS**: the importer's maximum resident set size (\`/usr/bin/time -v\`, the kernel's high-water mark), the runtime and every library included; **Peak RSS / file** in percent."
  echo "- **Wall s** covers both passes (check, then store) and the start-up; **CPU s** is user + system. **Items/s** counts posts, pages and comments stored per wall second; **Articles/s** posts and pages only."
  echo "- Posts, pages and comments are the import's own summary; the database's row counts were read apart (below). Attachments, revisions, menu items, trashed posts and pingbacks are in the file and left out by design."
  echo
  echo "## Resident memory through the run"
  echo
  echo "VmRSS of the importer in MiB, sampled every ${sample_seconds} s, at each tenth of the run (the check pass comes first, then the store pass):"
  echo
  echo "| Export | 10 % | 20 % | 30 % | 40 % | 50 % | 60 % | 70 % | 80 % | 90 % | 100 % |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for row in "${timelines[@]}"; do echo "$row"; done
  echo
  echo "## Files and what was stored"
  echo
  for line in "${summaries[@]}"; do echo "$line"; done
  echo
  echo "## Machine"
  echo
  machine
  echo
  echo "## Source and command"
  echo
  echo "- Broadsheet built from: $source_description"
  echo "- Command run: \`$invocation\` ($((SECONDS - total_start)) s after the build)"
  echo "- To reproduce: \`$reproduce\`"
} >"$out"
cat "$out"
say "Results: $out"
