#!/usr/bin/env bash
# Where Broadsheet's memory goes, and what the runtime's own settings can take off it: the uncached
# article page (50 comments) under `wrk -t2 -c50`, once per settings profile, each in a fresh
# process on one SQLite dataset. For each profile: pages/s, the peak RSS of the loaded period
# (VmHWM, reset after a warm-up), and the resident memory split by kind from /proc/PID/smaps,
# after one request and after the load:
#
#   files  the mapped assemblies and native libraries (the runtime, ASP.NET Core, EF Core, the app)
#   jit    the JIT's generated code (W^X's double mapping, memfd:doublemapper)
#   anon   anonymous memory: the managed heap, SQLite's page caches, thread stacks
#   malloc the C heap ([heap])
#
#   bench/memory.sh                   the working tree
#   bench/memory.sh --commit 330d42b  a clean snapshot of a commit
#
# Issue 7's target is a peak RSS under 200 MB; the findings are in bench/README.md ("Memory").
set -euo pipefail
export LC_ALL=C DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

bench_dir=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$bench_dir/.." && pwd)
path="/2025/08/16/putin-and-trump-discuss-ukraine-war-end-in-alaska-talks" commit=""
while [ $# -gt 0 ]; do
  case "$1" in
    --commit) commit=${2:?--commit needs a revision}; shift 2 ;;
    *) echo "Unknown option $1 (see the top of $0)." >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

# Each profile adds to the one before, from the defaults to everything that saves memory.
profiles=(
  "defaults|"
  "workstation GC|DOTNET_gcServer=0"
  "+ 2 MB gen0, 2 malloc arenas|DOTNET_gcServer=0 DOTNET_GCgen0size=0x200000 MALLOC_ARENA_MAX=2"
  "+ no tiered JIT|DOTNET_gcServer=0 DOTNET_GCgen0size=0x200000 MALLOC_ARENA_MAX=2 DOTNET_TieredCompilation=0"
  "+ 48 MB heap limit|DOTNET_gcServer=0 DOTNET_GCgen0size=0x200000 MALLOC_ARENA_MAX=2 DOTNET_TieredCompilation=0 DOTNET_GCHeapHardLimit=0x3000000"
)

work=$(mktemp -d /tmp/broadsheet-memory.XXXXXX)
server=""
cleanup() { [ -z "$server" ] || kill "$server" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT INT TERM

source_dir=$repo
if [ -n "$commit" ]; then
  source_dir=$work/src
  mkdir -p "$source_dir"
  git -C "$repo" archive "$commit" | tar -x -C "$source_dir"
fi
echo "Building ${commit:-the working tree}..."
dotnet publish "$source_dir/src/Broadsheet/Broadsheet.csproj" -c Release --artifacts-path "$work/build" --nologo >"$work/build.log" 2>&1 \
  || { tail -20 "$work/build.log" >&2; exit 1; }
app_dir=$work/build/publish/Broadsheet/release

export ASPNETCORE_ENVIRONMENT=Production Broadsheet__Database__DataDirectory="$work/data" Broadsheet__PageCache__Enabled=false
app() { (cd "$app_dir" && exec dotnet Broadsheet.dll "$@"); }
echo "Dataset: 20 generated articles and the sample article with 50 comments..."
app migrate >"$work/migrate.log" 2>&1 || { tail -20 "$work/migrate.log" >&2; exit 1; }
python3 "$bench_dir/generate-articles.py" --count 20 --out "$work/articles" --seed 7 >/dev/null
mapfile -t files < <(find "$work/articles" -name '*.md' | sort)
app import markdown "${files[@]}" >"$work/import.log" 2>&1 || { tail -20 "$work/import.log" >&2; exit 1; }
app seed-demo --articles 0 --comments-per-article 0 --sample-comments 50 >"$work/seed.log" 2>&1 || { tail -20 "$work/seed.log" >&2; exit 1; }

resident() { # pid: "files jit anon malloc total" in MB, from smaps
  awk '
    /^[0-9a-f]+-[0-9a-f]+ / { name = (NF >= 6) ? $6 : "[anon]"; next }
    /^Rss:/ {
      kind = name ~ /memfd:doublemapper/ ? "jit" : name ~ /^\// ? "files" : name == "[heap]" ? "malloc" : "anon"
      kb[kind] += $2; total += $2
    }
    END { printf "%5.0f %5.0f %5.0f %6.0f %5.0f", kb["files"] / 1024, kb["jit"] / 1024, kb["anon"] / 1024, kb["malloc"] / 1024, total / 1024 }
  ' "/proc/$1/smaps"
}

port=$((20000 + RANDOM % 20000))
printf '%-34s %8s %9s | %-29s | %s\n' "profile" "pages/s" "peak MB" "after one request" "after the load"
printf '%-34s %8s %9s | %-29s | %s\n' "" "" "" "files   jit  anon malloc total" "files   jit  anon malloc total"
for profile in "${profiles[@]}"; do
  name=${profile%%|*} settings=${profile#*|}
  # shellcheck disable=SC2086 # the settings are words on purpose
  (cd "$app_dir" && exec env $settings dotnet Broadsheet.dll --urls "http://127.0.0.1:$port") >"$work/server.log" 2>&1 &
  server=$!
  for _ in $(seq 120); do curl -sf -o /dev/null "http://127.0.0.1:$port$path" && break; sleep 0.5; done
  idle=$(resident "$server")
  wrk -t2 -c50 -d20s "http://127.0.0.1:$port$path" >/dev/null # the JIT tiers up and the heap finds its size
  echo 5 >"/proc/$server/clear_refs"
  rate=$(wrk -t2 -c50 -d10s "http://127.0.0.1:$port$path" | awk '/Requests\/sec/ { printf "%.0f", $2 }')
  peak=$(awk '/^VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$server/status")
  printf '%-34s %8s %9s | %s | %s\n' "$name" "$rate" "$peak" "$idle" "$(resident "$server")"
  kill "$server"; wait "$server" 2>/dev/null || true; server=""
done
