#!/usr/bin/env bash
# How fast `seed-demo` fills a fresh database, on SQLite and on PostgreSQL, for one or more builds
# of Broadsheet (to compare a change with what came before). For each round, each build and each
# database: a fresh database, `migrate`, then `seed-demo --articles N --comments-per-article M`
# under /usr/bin/time; the rows stored are counted in the database afterwards. Builds and
# databases alternate within a round, so a machine that gets busier part-way weighs on all alike.
#
#   bench/seed-rate.sh                                   the working tree, 2,000 articles, both databases
#   bench/seed-rate.sh --commit bb2ea22 --commit HEAD    before and after a change
#   bench/seed-rate.sh --articles 10000 --rounds 3 --database postgres
#
# Results: a table on stdout and in bench/results/seed-rate-<UTC date-time>.md (or --out FILE).
set -euo pipefail
export LC_ALL=C

bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$bench_dir")
invocation="bench/seed-rate.sh${*:+ $*}"
articles=2000 comments=10 rounds=1 database=both out="" commits=()

usage() {
  sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  cat <<'USAGE'
Options: --articles N (2000), --comments-per-article M (10), --rounds K (1),
         --database sqlite|postgres|both (both), --commit REV (repeatable; default: the working tree),
         --out FILE
USAGE
}

while [ $# -gt 0 ]; do
  case "$1" in
    --articles) articles=${2:?--articles needs a number}; shift ;;
    --comments-per-article) comments=${2:?--comments-per-article needs a number}; shift ;;
    --rounds) rounds=${2:?--rounds needs a number}; shift ;;
    --database) database=${2:?--database needs sqlite, postgres or both}; shift ;;
    --commit) commits+=("${2:?--commit needs a revision}"); shift ;;
    --out) out=${2:?--out needs a file name}; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench/seed-rate.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
for number in "$articles" "$comments" "$rounds"; do
  case "$number" in ''|*[!0-9]*) echo "bench/seed-rate.sh: '$number' is not a whole number." >&2; exit 2 ;; esac
done
case "$database" in
  sqlite) databases=(sqlite) ;;
  postgres) databases=(postgres) ;;
  both) databases=(sqlite postgres) ;;
  *) echo "bench/seed-rate.sh: --database is sqlite, postgres or both, not '$database'." >&2; exit 2 ;;
esac

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production
say() { printf '%s\n' "$*" >&2; }
fail() { say "bench/seed-rate.sh: $*"; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/broadsheet-seed-rate.XXXXXX")
# shellcheck source=bench/postgres.sh
. "$bench_dir/postgres.sh"
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  bench_pg_stop
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Builds: Release, published, as bench/run.sh does; a commit from a clean `git archive`.
labels=() app_dirs=()
build() { # build LABEL SOURCE-ROOT ARTIFACTS
  say "Building $1..."
  dotnet publish "$2/src/Broadsheet/Broadsheet.csproj" -c Release --artifacts-path "$3" --nologo >"$work/build.log" 2>&1 \
    || { grep -E 'error' "$work/build.log" | sort -u | head -20 >&2; fail "building $1 failed."; }
  labels+=("$1")
  app_dirs+=("$3/publish/Broadsheet/release")
}
if [ ${#commits[@]} -eq 0 ]; then
  build "working tree at $(git -C "$repo" rev-parse --short HEAD)" "$repo" "$bench_dir/.artifacts"
else
  for commit in "${commits[@]}"; do
    sha=$(git -C "$repo" rev-parse --verify "$commit^{commit}") || fail "'$commit' is not a commit."
    mkdir -p "$work/source-$sha"
    git -C "$repo" archive "$sha" | tar -x -C "$work/source-$sha"
    build "${sha:0:7} ($(git -C "$repo" log -1 --format=%s "$sha" | cut -c1-60))" "$work/source-$sha" "$work/artifacts-$sha"
  done
fi

if [[ " ${databases[*]} " == *" postgres "* ]]; then
  bench_pg_start || fail "could not start PostgreSQL (see above)."
  say "PostgreSQL $bench_pg_version on 127.0.0.1:$bench_pg_port."
fi

count_rows() { # count_rows DATABASE NAME: articles, comments, bylines, topic links stored
  local query='SELECT (SELECT count(*) FROM "Articles") + (SELECT count(*) FROM "Comments") + (SELECT count(*) FROM "Bylines") + (SELECT count(*) FROM "ArticleTags")'
  if [ "$1" = postgres ]; then
    bench_pg_psql "$2" -c "$query"
  else
    python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$work/$2/broadsheet.db" "$query"
  fi
}

results="$work/results.tsv"
: >"$results"
run=0
for round in $(seq "$rounds"); do
  for i in "${!labels[@]}"; do
    for db in "${databases[@]}"; do
      run=$((run + 1))
      name="seed_$run"
      mkdir -p "$work/$name"
      env_vars=(Broadsheet__Database__DataDirectory="$work/$name")
      if [ "$db" = postgres ]; then
        env_vars+=(Broadsheet__Database__Provider=Postgres "ConnectionStrings__Broadsheet=$(bench_pg_createdb "$name")")
      fi
      (cd "${app_dirs[$i]}" && env "${env_vars[@]}" dotnet Broadsheet.dll migrate) >"$work/migrate.log" 2>&1 \
        || { tail -20 "$work/migrate.log" >&2; fail "migrate failed."; }
      before=$(count_rows "$db" "$name")
      load=$(cut -d' ' -f1 /proc/loadavg)
      say "Round $round, ${labels[$i]}, $db: seed-demo --articles $articles --comments-per-article $comments (load $load)..."
      (cd "${app_dirs[$i]}" && env "${env_vars[@]}" /usr/bin/time -f 'TIME %e %U %S %M' -o "$work/time.txt" \
        dotnet Broadsheet.dll seed-demo --articles "$articles" --comments-per-article "$comments") >"$work/seed.log" 2>&1 \
        || { tr '\r' '\n' <"$work/seed.log" | tail -20 >&2; fail "seed-demo failed."; }
      rows=$(( $(count_rows "$db" "$name") - before ))
      read -r _ wall user system rss_kb < <(grep '^TIME ' "$work/time.txt")
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$i" "$db" "$wall" "$user" "$system" "$rss_kb" "$rows" "$load" >>"$results"
      say "  $rows rows in $wall s (seeder CPU $(awk -v u="$user" -v s="$system" 'BEGIN { print u + s }') s)."
      [ "$db" = postgres ] && bench_pg_psql postgres -c "DROP DATABASE \"$name\"" >/dev/null
      rm -rf "${work:?}/$name"
    done
  done
done

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
table() {
  echo "| Build | Database | Wall s | Articles/s | Rows/s | Seeder CPU s | Peak RSS MB | Rows | Load at start |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---|"
  local i db wall cpu rss rows loads
  for i in "${!labels[@]}"; do
    for db in "${databases[@]}"; do
      wall=$(awk -F'\t' -v i="$i" -v d="$db" '$1 == i && $2 == d { print $3 }' "$results" | median)
      cpu=$(awk -F'\t' -v i="$i" -v d="$db" '$1 == i && $2 == d { print $4 + $5 }' "$results" | median)
      rss=$(awk -F'\t' -v i="$i" -v d="$db" '$1 == i && $2 == d { print $6 / 1024 }' "$results" | median)
      rows=$(awk -F'\t' -v i="$i" -v d="$db" '$1 == i && $2 == d { print $7 }' "$results" | median)
      loads=$(awk -F'\t' -v i="$i" -v d="$db" '$1 == i && $2 == d { printf "%s%s", (n++ ? ", " : ""), $8 }' "$results")
      printf '| %s | %s | %.1f | %.0f | %.0f | %.1f | %.0f | %.0f | %s |\n' "${labels[$i]}" "$db" "$wall" \
        "$(awk -v a="$articles" -v w="$wall" 'BEGIN { print a / w }')" "$(awk -v r="$rows" -v w="$wall" 'BEGIN { print r / w }')" \
        "$cpu" "$rss" "$rows" "$loads"
    done
  done
}

stamp=$(date -u +%Y-%m-%dT%H%M%SZ)
if [ -z "$out" ]; then
  mkdir -p "$bench_dir/results"
  out="$bench_dir/results/seed-rate-$stamp.md"
fi
{
  echo "# seed-demo speed, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "\`seed-demo --articles $articles --comments-per-article $comments\` into a fresh, migrated database; $rounds round(s), medians; builds and databases alternate within a round. Rows: articles, comments, bylines and topic links stored (counted in the database). Wall and CPU from \`/usr/bin/time\` around the seeder process (the PostgreSQL server's own CPU is not in it). Load: the 1-minute load average when each run started (2 cores: above 2, other work shared the machine)."
  echo
  table
  echo
  echo "- Machine: $(nproc) CPUs ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)), $(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo); .NET SDK $(cd "$repo" && dotnet --version)$([ -n "$bench_pg_version" ] && echo "; PostgreSQL $bench_pg_version (fsync on)"); SQLite with synchronous=FULL (the app's setting)."
  echo "- Command: \`$invocation\`"
} >"$out"
echo
table
echo "Results: $out"
