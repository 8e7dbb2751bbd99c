#!/usr/bin/env bash
# Broadsheet's load benchmark (issue 7). Builds Release, generates a dataset, starts Broadsheet
# (page cache on, page cache off) and the ceiling app on 127.0.0.1, measures every scenario with
# wrk (2 threads, 50 connections, 10 s, 3 alternating rounds, medians): pages, search, comment POSTs
# (plus the time from POST to visible and a durability check) and writes a Markdown table to
# bench/results/<UTC date-time>.md. See bench/README.md.
#
#   bench/run.sh                  full run (a few minutes), results in bench/results/
#   bench/run.sh --quick          smoke test: 20 articles, 1 round of 2 s, results in a temp file;
#                                 exits non-zero when a scenario fails
#   bench/run.sh --commit HEAD    measure a clean snapshot of a commit instead of the working tree
#   bench/run.sh --database postgres
#                                 the same on PostgreSQL: a throwaway server of the machine's own
#                                 (apt package postgresql) on 127.0.0.1, started and deleted here
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

quick=0 articles=2000 demo="" database=sqlite rounds=3 duration=10 warmup=5 warmup_max=90 seed=7 commit="" out="" keep=0 wait_quiet=0

usage() {
  cat <<'EOF'
Usage: bench/run.sh [--quick] [--commit REV] [--articles N | --demo N] [--database sqlite|postgres]
                    [--out FILE] [--keep] [--wait-quiet MINUTES]

  --quick        smoke test: 20 articles, 1 round of 2 s per scenario, results in a temp file
  --commit REV   build a clean snapshot of REV (git archive) instead of the working tree
  --articles N   generated articles in the dataset (default 2000; 20 with --quick)
  --demo N       instead, N articles made by the app's own `seed-demo` (10 comments each, Lorem
                 text): the bulk path bench/scale.sh uses for 10 k to 1 M articles
  --database D   sqlite (default: a file in the temp folder, as a one-machine site runs) or
                 postgres (a throwaway PostgreSQL started on 127.0.0.1 for the run, from the
                 machine's own binaries: apt-get install postgresql)
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
    --demo) demo=${2:?--demo needs a number}; shift
      case "$demo" in ''|*[!0-9]*|0) echo "bench/run.sh: --demo must be a whole number above 0, not '$demo'." >&2; exit 2 ;; esac ;;
    --database) database=${2:?--database needs sqlite or postgres}; shift
      case "$database" in sqlite|postgres) ;; *) echo "bench/run.sh: --database is sqlite or postgres, not '$database'." >&2; exit 2 ;; esac ;;
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
  articles=20 rounds=1 duration=2 warmup=1 warmup_max=30
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
# shellcheck source=bench/postgres.sh
. "$bench_dir/postgres.sh"

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
  # After the app servers, whose connections it would otherwise wait for. Its data goes with it,
  # --keep or not: a PostgreSQL data folder is of no use without its server.
  bench_pg_stop
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
[ -n "$demo" ] && reproduce="$reproduce --demo $demo"
[ "$database" = postgres ] && reproduce="$reproduce --database postgres"

publish() { # project-file artifacts-path log-name
  if ! dotnet publish "$1" -c Release --artifacts-path "$2" --nologo >"$work/$3" 2>&1; then
    grep -E 'error|Error' "$work/$3" | sort -u | head -20 >&2 || true
    fail "building $1 failed (log above)."
  fi
}
say "Building Release: Broadsheet ($source_description), the ceiling app and the Razor floor..."
publish "$source_root/src/Broadsheet/Broadsheet.csproj" "$app_artifacts" build-broadsheet.log
publish "$bench_dir/Ceiling/Ceiling.csproj" "$bench_dir/.artifacts" build-ceiling.log
publish "$bench_dir/RazorFloor/RazorFloor.csproj" "$bench_dir/.artifacts" build-razor-floor.log
app_dir="$app_artifacts/publish/Broadsheet/release"
ceiling_dir="$bench_dir/.artifacts/publish/Ceiling/release"
razor_floor_dir="$bench_dir/.artifacts/publish/RazorFloor/release"
[ -f "$app_dir/Broadsheet.dll" ] || fail "no Broadsheet.dll in $app_dir after the build."
[ -f "$ceiling_dir/Ceiling.dll" ] || fail "no Ceiling.dll in $ceiling_dir after the build."
[ -f "$razor_floor_dir/RazorFloor.dll" ] || fail "no RazorFloor.dll in $razor_floor_dir after the build."
build_seconds=$SECONDS

# ---------------------------------------------------------------------------------------------
# Dataset: the sample article (seeded by `migrate`) plus N generated Markdown articles, or N demo
# articles from `seed-demo` (--demo).
data_dir="$work/data"
mkdir -p "$data_dir" "$work/articles"
export ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production
export Broadsheet__Database__DataDirectory="$data_dir"
if [ "$database" = postgres ]; then
  bench_pg_start || fail "could not start PostgreSQL (see above)."
  say "PostgreSQL $bench_pg_version on 127.0.0.1:$bench_pg_port ($bench_pg_dir)."
  # Every command and both servers below read these: the Postgres provider and its database
  # (DatabaseOptions, DataServiceCollectionExtensions). Media and mail stay in the data folder.
  export Broadsheet__Database__Provider=Postgres
  ConnectionStrings__Broadsheet=$(bench_pg_createdb broadsheet) || fail "could not create the database."
  export ConnectionStrings__Broadsheet
fi
database_name=$([ "$database" = postgres ] && echo "PostgreSQL $bench_pg_version" || echo SQLite)

broadsheet() { # runs a CLI command of the built app from its own folder (its content root)
  (cd "$app_dir" && dotnet Broadsheet.dll "$@")
}

import_start=$SECONDS
broadsheet migrate >"$work/migrate.log" 2>&1 || { tail -20 "$work/migrate.log" >&2; fail "'migrate' failed (log above)."; }
if [ -n "$demo" ]; then
  say "Seeding $demo demo articles with 10 comments each (seed-demo)..."
  broadsheet seed-demo --articles "$demo" --comments-per-article 10 >"$work/seed-demo.log" 2>&1 \
    || { tail -20 "$work/seed-demo.log" >&2; fail "'seed-demo --articles $demo' failed (log above)."; }
  articles=$demo
else
  say "Generating $articles articles (seed $seed) and importing them..."
  python3 "$bench_dir/generate-articles.py" --count "$articles" --out "$work/articles" --seed "$seed" >"$work/generate.log" \
    || { cat "$work/generate.log" >&2; fail "generating the articles failed."; }
  find "$work/articles" -name '*.md' | sort >"$work/articles.txt"
  split -l 500 "$work/articles.txt" "$work/batch."
  for batch in "$work"/batch.*; do
    mapfile -t files <"$batch"
    broadsheet import markdown "${files[@]}" >"$work/import.log" 2>&1 \
      || { tail -20 "$work/import.log" >&2; fail "importing $(basename "$batch") failed (log above)."; }
  done
fi
import_seconds=$((SECONDS - import_start))
# seed-demo's own account of the rows it wrote and how fast (its last line), for the report.
seed_rate=""
[ -n "$demo" ] && seed_rate=$(grep -E '^[0-9,]+ rows \(' "$work/seed-demo.log" | tail -1 | sed 's/\.$//' || true)
# Issue 7's article scenarios are for a page with 50 approved comments: give the sample article 50.
broadsheet seed-demo --articles 0 --comments-per-article 0 --sample-comments 50 >"$work/seed.log" 2>&1 \
  || { tail -20 "$work/seed.log" >&2; fail "'seed-demo --sample-comments 50' failed (log above)."; }
if [ "$database" = postgres ]; then
  db_bytes=$(bench_pg_psql broadsheet -c "SELECT pg_database_size(current_database())")
else
  db_bytes=$(stat -c %s "$data_dir/broadsheet.db")
fi
markdown_average=""
if [ -z "$demo" ]; then
  markdown_average=$(sed -n 's/.*(\([0-9]*\) bytes of Markdown on average).*/\1/p' "$work/generate.log")
fi

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
# The cached server also takes the comment POSTs: for the bench only, no minimum time between two
# comments from one address (all of wrk's come from 127.0.0.1) and no holding of first-time
# commenters (every bench comment has a new email), so that every accepted comment is approved and
# evicts the article's cached page, the costly path. Every other defence and policy stays on.
start "Broadsheet, page cache on" "$app_dir" broadsheet-cached.log -- \
  env Broadsheet__PageCache__Enabled=true Broadsheet__Comments__SecondsBetweenComments=0 \
  Broadsheet__Comments__HoldFirstTimeCommenters=false dotnet Broadsheet.dll --urls "http://127.0.0.1:$cached_port"
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
# The Razor floor renders a page of the article page's shape and about its size from memory.
razor_floor_port=$(free_port)
while [ "$razor_floor_port" = "$cached_port" ] || [ "$razor_floor_port" = "$uncached_port" ] || [ "$razor_floor_port" = "$ceiling_port" ]; do razor_floor_port=$(free_port); done
start "Razor floor (~$article_bytes bytes)" "$razor_floor_dir" razor-floor.log -- \
  dotnet RazorFloor.dll --urls "http://127.0.0.1:$razor_floor_port" --size "$article_bytes"
razor_floor_pid=$started_pid
wait_ready "the Razor floor" "$razor_floor_pid" "http://127.0.0.1:$razor_floor_port/" razor-floor.log

# ---------------------------------------------------------------------------------------------
# Search: queries a reader might type, built from the generator's vocabulary so that each one
# matches many articles (terms are ANDed; "quotes" make a phrase). wrk-search.lua rotates them.
search_queries=("budget" "tram network" "flood defence" "nurses pay" "air quality schools" "\"public consultation\"")
if [ -n "$demo" ]; then # seed-demo writes Lorem Ipsum (Bogus): words of its vocabulary, one or two ANDed
  search_queries=("dolor" "voluptatem" "quia dolorem" "nihil" "sed quia" "omnis iste")
fi
# sql QUERY [PARAMETER...]: one value from the database, through a connection of its own (the servers
# keep writing). Parameters are `?` in the query; on PostgreSQL they become psql variables, quoted
# as literals (:'p1'), so no value is ever spliced into the SQL.
sql() {
  if [ "$database" = postgres ]; then
    local query=$1 n=0 vars=()
    shift
    for value in "$@"; do
      n=$((n + 1))
      query=${query/\?/:\'p$n\'}
      vars+=(-v "p$n=$value")
    done
    printf '%s;\n' "$query" | bench_pg_psql broadsheet "${vars[@]}"
  else
    python3 - "$data_dir/broadsheet.db" "$@" <<'PY'
import sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True, timeout=30)
print(db.execute(sys.argv[2], sys.argv[3:]).fetchone()[0])
PY
  fi
}
urlencode() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote_plus(sys.argv[1]))' "$1"; }
declare -A search_matches
encoded_queries=()
for query in "${search_queries[@]}"; do
  encoded_queries+=("$(urlencode "$query")")
  if [ "$database" = postgres ]; then
    # The same test the app makes (Search/ArticleSearch.cs): the generated tsvector against
    # websearch_to_tsquery of the words and "phrases" as typed.
    search_matches[$query]=$(sql 'SELECT count(*) FROM "Articles" WHERE "SearchVector" @@ websearch_to_tsquery('"'english'"', ?)' "$query")
  else
    # The same MATCH expression the app builds: every word (or phrase) quoted, terms ANDed.
    fts=$(python3 -c 'import re, sys; print(" ".join("\"" + " ".join(re.findall(r"\w+", t)) + "\"" for t in re.findall(r"\"[^\"]*\"|[^\s\"]+", sys.argv[1])))' "$query")
    search_matches[$query]=$(sql 'SELECT count(*) FROM "ArticleSearch" WHERE "ArticleSearch" MATCH ?' "$fts")
  fi
  [ "${search_matches[$query]}" -gt 0 ] || fail "the search query '$query' matches no article in the dataset."
done
BENCH_SEARCH_QUERIES=$(IFS='|'; echo "${encoded_queries[*]}")
export BENCH_SEARCH_QUERIES BENCH_DIR="$bench_dir"

# ---------------------------------------------------------------------------------------------
# Comment POST: two generated articles other than the one the GET scenarios read, so that the
# measured article page keeps its 50 comments: one takes wrk's POST load, the other the
# POST-to-visible samples (which stay on its first comment page). Their forms are read from
# rendered pages: field names, hidden fields and the signed stamp, which must be older than
# Broadsheet:Comments:MinSecondsToPost when posted.
curl -s --max-time 30 "http://127.0.0.1:$uncached_port/" >"$work/front.html"
mapfile -t comment_articles < <(grep -o 'href="/[0-9]\{4\}/[0-9][0-9]/[0-9][0-9]/[^"#?]*"' "$work/front.html" \
  | sed 's/^href="//; s/"$//' | grep -vxF "$article_path" | awk '!seen[$0]++' | head -2)
[ "${#comment_articles[@]}" = 2 ] || fail "the front page links to fewer than two generated articles to post comments to."
post_path=${comment_articles[0]} visible_path=${comment_articles[1]}
post_origin="http://127.0.0.1:$cached_port"

# read_form PATH NAME: fetches the article from the cached server, checks its comment form has the
# fields the bench fills, and sets form_fixed_NAME (the hidden fields, URL-encoded) and
# article_id_NAME (comment_post_ID).
read_form() {
  local path=$1 name=$2 parsed
  curl -s --max-time 30 "$post_origin$path" >"$work/form-$name.html"
  parsed=$(python3 "$bench_dir/read-form.py" "$work/form-$name.html") || fail "could not read the comment form of $path."
  printf -v "article_id_$name" '%s' "${parsed%%$'\n'*}"
  printf -v "form_fixed_$name" '%s' "${parsed#*$'\n'}"
}
read_form "$post_path" post
read_form "$visible_path" visible
stamp_read_at=$SECONDS
min_seconds_to_post=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1])).get("Broadsheet", {}).get("Comments", {}).get("MinSecondsToPost", 3))' "$app_dir/appsettings.json")
BENCH_POST_PATH=$post_path BENCH_POST_ORIGIN=$post_origin BENCH_FORM_FIXED=$form_fixed_post
export BENCH_POST_PATH BENCH_POST_ORIGIN BENCH_FORM_FIXED
# Comments stored for an article, all of them or (with a second argument, 1 = Approved) one status.
comments_of() { sql "SELECT count(*) FROM \"Comments\" WHERE \"ArticleId\" = ?${2:+ AND \"Status\" = ?}" "$@"; }
post_comments_before=$(comments_of "$article_id_post")

# ---------------------------------------------------------------------------------------------
# Scenarios: name, label, server pid, URL. Add new ones here (and their server above); scenarios
# still to come are listed in $pending so that every report says what it does not measure.
scenarios=(ceiling razor-floor article-cached article-uncached front-cached front-uncached search-uncached comment-post)
declare -A label pid_of url_of script_of
add_scenario() { label[$1]=$2; pid_of[$1]=$3; url_of[$1]=$4; script_of[$1]=${5:-$bench_dir/wrk-report.lua}; }
add_scenario ceiling "Ceiling app (fixed bytes)" "$ceiling_pid" "http://127.0.0.1:$ceiling_port/"
add_scenario razor-floor "Razor floor (article-shaped page from memory)" "$razor_floor_pid" "http://127.0.0.1:$razor_floor_port/"
add_scenario article-cached "Article page (50 comments), cache on" "$cached_pid" "http://127.0.0.1:$cached_port$article_path"
add_scenario article-uncached "Article page (50 comments), cache off" "$uncached_pid" "http://127.0.0.1:$uncached_port$article_path"
add_scenario front-cached "Front page, cache on" "$cached_pid" "http://127.0.0.1:$cached_port/"
add_scenario front-uncached "Front page, cache off" "$uncached_pid" "http://127.0.0.1:$uncached_port/"
add_scenario search-uncached "Search (${#search_queries[@]} queries rotated), cache off" "$uncached_pid" \
  "http://127.0.0.1:$uncached_port/search?q=${encoded_queries[0]}" "$bench_dir/wrk-search.lua"
# Requests/s of this one counts accepted comments only (303 to #comment-N); see wrk-comment.lua.
add_scenario comment-post "Comment POST, cache on (accepted/s)" "$cached_pid" "$post_origin$post_path" "$bench_dir/wrk-comment.lua"

pending=(
  "Scale (10 k / 100 k / 1 M articles): \`bench/scale.sh\` runs this script with \`--demo N\` per size, on SQLite and on PostgreSQL (\`--database\`), and tabulates the growth."
)

# Each GET URL must answer 200 itself (wrk counts 3xx as success); its body size goes in the report
# (for search, the average over the queries). The POST's answer is a 303 without a body.
declare -A bytes_of
check_url() { # check_url LABEL URL: sets $checked_size to the body size
  local code
  case "$2" in http://127.0.0.1:*) ;; *) fail "refusing to load anything but 127.0.0.1 ($2)." ;; esac
  read -r code checked_size < <(curl -s -o /dev/null -w '%{http_code} %{size_download}\n' --max-time 30 "$2")
  [ "$code" = 200 ] || fail "$1 answered $code, not 200, at $2."
}
for name in "${scenarios[@]}"; do
  case "$name" in
    comment-post) bytes_of[$name]="0 (303)" ;;
    search-uncached)
      total=0
      for query in "${encoded_queries[@]}"; do
        check_url "${label[$name]}" "http://127.0.0.1:$uncached_port/search?q=$query"
        total=$((total + checked_size))
      done
      bytes_of[$name]=$((total / ${#encoded_queries[@]})) ;;
    *) check_url "${label[$name]}" "${url_of[$name]}"; bytes_of[$name]=$checked_size ;;
  esac
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
# CPU ticks of the PostgreSQL server (0 on SQLite, whose work is inside the app's own process): the
# postmaster's own and its reaped children's (cutime + cstime), plus every live child's (the
# backends of the app servers' pools, the writer, the WAL writer, ...).
db_cpu_ticks() {
  [ "$database" = postgres ] || { echo 0; return; }
  local postmaster stat total child
  read -r postmaster <"$bench_pg_dir/data/postmaster.pid" || { echo 0; return; }
  stat=$(<"/proc/$postmaster/stat") || { echo 0; return; }
  stat=${stat##*) }
  # shellcheck disable=SC2086
  set -- $stat
  total=$(( ${12} + ${13} + ${14} + ${15} ))
  for child in $(pgrep -P "$postmaster"); do
    total=$((total + $(stat_ticks "/proc/$child/stat" 2>/dev/null)))  # a backend that just exited: its time is in cutime now
  done
  echo "$total"
}
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

# run_wrk NAME SECONDS OUTPUT-FILE: one wrk run of a scenario with its script. Each run gets its own
# BENCH_RUN_ID so that the comment script never posts the same text twice across runs.
wrk_runs=0 posted_accepted=0
run_wrk() {
  local name=$1 url=${url_of[$1]} wait
  if [ "$name" = comment-post ]; then
    # The stamp was read from a rendered page; posted sooner than MinSecondsToPost, it is a bot's.
    wait=$((stamp_read_at + min_seconds_to_post + 1 - SECONDS))
    [ "$wait" -gt 0 ] && sleep "$wait"
  fi
  wrk_runs=$((wrk_runs + 1))
  BENCH_RUN_ID="$$-$wrk_runs" wrk -t"$threads" -c"$connections" -d"${2}s" --latency -s "${script_of[$name]}" "$url" >"$3" 2>&1 &
  local wrk_pid=$!
  pids+=("$wrk_pid")
  wait "$wrk_pid" || { cat "$3" >&2; fail "wrk failed against $url."; }
  unset 'pids[-1]'
  if [ "$name" = comment-post ]; then
    posted_accepted=$((posted_accepted + $(sed -n 's/.* accepted=\([0-9]*\).*/\1/p' "$3")))
  fi
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
  say "Warming up ($warmup s chunks per scenario until one completes a request, at most $warmup_max s)..."
else
  say "Warming up each scenario until the JIT is quiet ($warmup-$warmup_max s)..."
fi
for name in "${scenarios[@]}"; do
  pid=${pid_of[$name]}
  warmed=0
  while :; do
    jit_before=$(jit_ticks "$pid")
    run_wrk "$name" "$warmup" "$work/warmup-$name.txt"
    jit_after=$(jit_ticks "$pid")
    warmed=$((warmed + warmup))
    # A smoke test only needs each scenario answering: on a loaded machine the first answers (and
    # the first comment POSTs, which wait for SQLite's write lock) can take longer than a chunk.
    [ "$quick" = 1 ] && [ "$(field requests "$work/warmup-$name.txt")" -gt 0 ] && break
    [ "$warmed" -ge $((2 * warmup)) ] && [ $(( (jit_after - jit_before) * 10 )) -lt "$clock_ticks" ] && break
    [ "$warmed" -ge "$warmup_max" ] && { say "  ${label[$name]}: $([ "$quick" = 1 ] && echo "still no answer" || echo "the JIT was still busy") after $warmed s; measuring anyway."; break; }
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
    db_before=$(db_cpu_ticks)
    before=$(cpu_ticks "$pid")
    run_wrk "$name" "$duration" "$out_file"
    after=$(cpu_ticks "$pid")
    db_after=$(db_cpu_ticks)
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
    if [ "$name" = comment-post ]; then
      # Only accepted comments count; every other answer (refused, invalid, 5xx) is an error here.
      accepted=$(field accepted "$out_file")
      held=$(field held "$out_file")
      not_accepted=$(field other "$out_file")
      say "  comment POST: $requests answers, $accepted accepted ($held of them held), $not_accepted not accepted."
      [ "${held:-0}" -gt 0 ] && failures+=("${label[$name]}, round $round: $held comments were held instead of approved (they do not evict the page).")
      requests=$accepted status_errors=$not_accepted
    fi
    p50=$(field p50_us "$out_file")
    p99=$(field p99_us "$out_file")
    rps=$(awk -v r="$requests" -v d="$duration_us" 'BEGIN { printf "%.1f", (d > 0 ? r / (d / 1e6) : 0) }')
    cpu=$(awk -v t=$((after - before)) -v hz="$clock_ticks" 'BEGIN { printf "%.2f", t / hz }')
    wrk_cpu=$(awk -v a="$wrk_before" -v b="$wrk_after" 'BEGIN { printf "%.2f", b - a }')
    db_cpu=$(awk -v t=$((db_after - db_before)) -v hz="$clock_ticks" 'BEGIN { printf "%.2f", (t > 0 ? t / hz : 0) }')
    other_cpu=$(awk -v busy=$((busy_after - busy_before)) -v hz="$clock_ticks" -v s="$cpu" -v w="$wrk_cpu" -v d="$db_cpu" \
      'BEGIN { o = busy / hz - s - w - d; printf "%.2f", (o > 0 ? o : 0) }')
    jit_cpu=$(awk -v t=$((jit_after - jit_before)) -v hz="$clock_ticks" 'BEGIN { printf "%.2f", (t > 0 ? t / hz : 0) }')
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
      "$name" "$round" "$rps" "$p50" "$p99" "$cpu" "$hwm" "$requests" "$status_errors" "$socket_errors" "$wrk_cpu" "$other_cpu" "$jit_cpu" "$db_cpu" >>"$measurements"
    say "$(printf 'round %d/%d  %-26s %9s req/s  p50 %6.2f ms  p99 %7.2f ms  non-2xx %s' \
      "$round" "$rounds" "${label[$name]}" "$rps" "$(awk -v u="$p50" 'BEGIN{print u/1000}')" \
      "$(awk -v u="$p99" 'BEGIN{print u/1000}')" "$status_errors")"
    if [ "${requests:-0}" -eq 0 ]; then
      failures+=("${label[$name]}, round $round: no requests completed.")
    fi
    if [ "${status_errors:-0}" -gt 0 ]; then
      if [ "$name" = comment-post ]; then
        failures+=("${label[$name]}, round $round: $status_errors comments were not accepted (see the server log).")
      else
        failures+=("${label[$name]}, round $round: $status_errors responses were not 2xx/3xx.")
      fi
    fi
  done
done

# ---------------------------------------------------------------------------------------------
# POST-to-visible: post one comment with curl (to the second article, whose page stays under 50
# top-level comments) and GET the page its 303 points to until the page shows id="comment-N".
# The page is fetched just before, so that it is in the output cache and the POST must evict it.
# The figure is curl's own time for the POST plus the GET(s) (no process start-up); the server
# answers the POST only after the commit and the eviction, so one GET should always be enough.
visible_samples=20
visible_sample() { # visible_sample TAG RESULTS-FILE: appends "milliseconds gets"; a failure goes to $failures
  local tag=$1 body code post_s get_s location id page total gets=0 deadline=$((SECONDS + 10))
  curl -s -o /dev/null --max-time 30 "$post_origin$visible_path"
  # Already URL-encoded (the tag is letters, digits and dashes): no helper process between the samples.
  body="$form_fixed_visible&comment=Visibility+check+$tag%3A+does+this+comment+show+on+the+page+straight+after+posting%3F"
  body="$body&author=Bench+Visibility&email=visible-$$-$tag%40example.com&url="
  read -r code post_s < <(curl -s -o /dev/null -D "$work/visible-headers.txt" -w '%{http_code} %{time_total}\n' --max-time 30 \
    -H "Origin: $post_origin" -H 'Content-Type: application/x-www-form-urlencoded' --data-raw "$body" "$post_origin$visible_path")
  location=$(tr -d '\r' <"$work/visible-headers.txt" | sed -n 's/^[Ll]ocation: //p' | head -1)
  case "$code $location" in
    "303 "*"#comment-"[0-9]*) id=${location##*#comment-} ;;
    *) failures+=("POST-to-visible $tag: the POST answered $code (Location '${location}'), not 303 to #comment-N."); return ;;
  esac
  case "$location" in *unapproved=*) failures+=("POST-to-visible $tag: comment $id was held, not approved."); return ;; esac
  page=${location%%#*}
  case "$page" in /*) page="$post_origin$page" ;; esac
  total=$post_s
  while :; do
    gets=$((gets + 1))
    get_s=$(curl -s -o "$work/visible-page.html" -w '%{time_total}' --max-time 30 "$page")
    total=$(awk -v a="$total" -v b="$get_s" 'BEGIN { print a + b }')
    grep -q "id=\"comment-$id\"" "$work/visible-page.html" && break
    [ $SECONDS -lt $deadline ] || { failures+=("POST-to-visible $tag: comment $id was not on $page after $gets GETs (10 s)."); return; }
  done
  awk -v t="$total" -v g="$gets" 'BEGIN { printf "%.1f %d\n", t * 1000, g }' >>"$2"
}
visible_summary() { # visible_summary RESULTS-FILE: "median ms, max ms, n samples, most GETs"
  awk '{ print $1 }' "$1" | sort -g | awk -v most="$(awk 'max < $2 { max = $2 } END { print max + 0 }' "$1")" \
    '{ v[NR] = $1 } END { if (NR == 0) { print "no samples"; exit }
       m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
       printf "median %.1f ms, max %.1f ms over %d samples (at most %d GET%s needed)", m, v[NR], NR, most, (most == 1 ? "" : "s") }'
}

say "POST-to-visible, idle server ($visible_samples samples)..."
: >"$work/visible-idle.txt"
for sample in $(seq "$visible_samples"); do
  visible_sample "idle-$sample" "$work/visible-idle.txt"
done
# The same during wrk's POST load on the other article; samples are taken while wrk runs.
load_seconds=$([ "$quick" = 1 ] && echo 5 || echo "$duration")
say "POST-to-visible under the comment POST load (up to $visible_samples samples in $load_seconds s)..."
: >"$work/visible-load.txt"
wrk_runs=$((wrk_runs + 1))
BENCH_RUN_ID="$$-$wrk_runs" wrk -t"$threads" -c"$connections" -d"${load_seconds}s" --latency -s "${script_of[comment-post]}" \
  "${url_of[comment-post]}" >"$work/wrk-visible-load.txt" 2>&1 &
load_pid=$!
pids+=("$load_pid")
sleep 0.5 # let wrk open its connections and start posting before the first sample
sample=0
while [ "$sample" -lt "$visible_samples" ] && kill -0 "$load_pid" 2>/dev/null; do
  sample=$((sample + 1))
  visible_sample "load-$sample" "$work/visible-load.txt"
done
wait "$load_pid" || { cat "$work/wrk-visible-load.txt" >&2; fail "wrk failed during the POST-to-visible load."; }
unset 'pids[-1]'
posted_accepted=$((posted_accepted + $(field accepted "$work/wrk-visible-load.txt")))
visible_idle=$(visible_summary "$work/visible-idle.txt")
visible_load=$(visible_summary "$work/visible-load.txt")
say "  idle: $visible_idle"
say "  under load: $visible_load"
[ -s "$work/visible-load.txt" ] || failures+=("POST-to-visible under load: no sample completed while wrk was posting.")

# Durability sanity check: every comment wrk was told "accepted" for (warm-up, rounds and the load
# above) must be in the database (the SQLite file, or PostgreSQL through psql), read through a
# separate connection after the answers.
post_comments_after=$(comments_of "$article_id_post")
post_approved_after=$(comments_of "$article_id_post" 1)
stored=$((post_comments_after - post_comments_before))
durability="$posted_accepted comments acknowledged (303 to #comment-N) over all POST runs (warm-up, rounds, the load under the visibility samples); the article's stored comments, counted in $([ "$database" = postgres ] && echo "PostgreSQL with psql" || echo "the SQLite file") on a connection of their own, grew by $stored ($post_approved_after approved in all)"
if [ "$stored" -ge "$posted_accepted" ] && [ "$posted_accepted" -gt 0 ]; then
  durability="$durability: **every acknowledged comment is stored**."
else
  durability="$durability: **fewer stored than acknowledged**."
  failures+=("Durability: $posted_accepted comments acknowledged, but the database holds only $stored more.")
fi
say "  $durability"

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

# A latency percentile in ms. wrk leaves out of its histogram every response slower than its timeout
# (2 s) and counts it as a timeout instead, so a 0 beside completed requests means "slower than that".
latency_ms() {
  awk -v u="$1" -v r="$2" 'BEGIN { if (u == 0 && r > 0) print "> 2000 (wrk timeout)"; else printf "%.2f", u / 1000 }'
}

table() {
  # On PostgreSQL the database's work happens in its own processes: a column of its own, so that
  # CPU µs/request stays the app's (on SQLite the database's work is inside it).
  local db_header="" db_rule="" db_cell=""
  [ "$database" = postgres ] && db_header=" PostgreSQL CPU µs/request |" db_rule="---:|"
  echo "| Scenario | Requests/s | p50 ms | p99 ms | × ceiling | Target (issue 7) | Peak RSS MB | Server CPU s | CPU µs/request |$db_header Response bytes | Errors |"
  echo "|---|---:|---:|---:|---:|---|---:|---:|---:|$db_rule---:|---:|"
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
    [ "$database" = postgres ] && db_cell=" $(awk -v c="$(column_of "$name" 14 | median)" -v r="$requests" 'BEGIN { printf "%.0f", (r > 0 ? c * 1e6 / r : 0) }') |"
    target=$(target_of "$name")
    if [ "$name" = comment-post ]; then
      # Issue 7's POST target is absolute, not a ratio: 1,000 durable accepted comments/s, p99 under 50 ms.
      if awk -v r="$rps" -v p="$p99" 'BEGIN { exit !(r >= 1000 && p < 50000) }'; then
        verdict="≥ 1,000/s, p99 < 50 ms: **met**"
      else
        verdict="≥ 1,000/s, p99 < 50 ms: **missed**"
      fi
    elif [ -z "$target" ]; then
      verdict="–"
    elif awk -v r="$ratio" -v t="$target" 'BEGIN { exit !(r >= t) }'; then
      verdict="≥ $target × ceiling: **met**"
    else
      verdict="≥ $target × ceiling: **missed**"
    fi
    printf '| %s | %.0f | %s | %s | %s | %s | %.0f | %.2f | %s |%s %s | %s |\n' \
      "${label[$name]}" "$rps" "$(latency_ms "$p50" "$requests")" "$(latency_ms "$p99" "$requests")" \
      "$ratio" "$verdict" "$(awk -v k="$hwm" 'BEGIN { print k / 1024 }')" "$cpu" "$cpu_per_request" "$db_cell" "${bytes_of[$name]}" "$errors"
  done
}

rounds_table() {
  local header="| Scenario |" rule="|---|" name round
  local figures="JIT, wrk, other CPU s" format=' %.0f (%.2f, %.1f, %.1f) |'
  [ "$database" = postgres ] && figures="JIT, wrk, PostgreSQL, other CPU s" format=' %.0f (%.2f, %.1f, %.1f, %.1f) |'
  for round in $(seq "$rounds"); do header="$header round $round: req/s ($figures) |"; rule="$rule---:|"; done
  echo "$header"
  echo "$rule"
  for name in "${scenarios[@]}"; do
    printf '| %s |' "${label[$name]}"
    for round in $(seq "$rounds"); do
      awk -F'\t' -v n="$name" -v r="$round" -v f="$format" -v pg="$([ "$database" = postgres ] && echo 1 || echo 0)" \
        '$1 == n && $2 == r { if (pg) printf f, $3, $13, $11, $14, $12; else printf f, $3, $13, $11, $12 }' "$measurements"
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
  [ "$database" = postgres ] && echo "- PostgreSQL: $bench_pg_version (the machine's own, \`$bench_pg_bin\`)"
  return 0
}

results_dir="$bench_dir/results"
if [ "$database" = postgres ]; then
  database_size="PostgreSQL database $((db_bytes / 1024)) KiB (\`pg_database_size\`)"
else
  database_size="SQLite file $((db_bytes / 1024)) KiB"
fi
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
  echo "# Broadsheet benchmark on $database_name, $(date -u '+%Y-%m-%d %H:%M UTC')$([ "$quick" = 1 ] && echo ' (quick smoke run: not a measurement)')"
  echo
  echo "wrk, $threads threads, $connections connections, $duration s per run, $rounds round(s) alternating the scenarios after each was warmed up $([ "$quick" = 1 ] && echo "in $warmup s chunks until it answered" || echo "until the runtime's tiered JIT went quiet (see Rounds)"); every figure is the median over the rounds. All servers and wrk share this machine's cores, on 127.0.0.1; responses uncompressed (wrk sends no \`Accept-Encoding\`)."
  echo
  table
  echo
  echo "- **× ceiling**: requests/s divided by the ceiling app's requests/s in this same run. The ceiling is a bare Kestrel minimal API (\`bench/Ceiling\`) answering a fixed byte array as large as the article page. The **Razor floor** (\`bench/RazorFloor\`) is Razor Pages alone on the same host: a layout, an article and 50 comments through a partial, rendered from memory (no database, middleware or filters) to about the article page's size; between the two, it shows how much of the article page's distance from the ceiling the page framework itself takes."
  if [ "$hwm_per_scenario" = 1 ]; then
    echo "- **Peak RSS**: the server's VmHWM during that scenario (reset before each run). **Server CPU**: user + system seconds the server process used during the ${duration} s run."
  else
    echo "- **Peak RSS**: the server's VmHWM since it started (this kernel did not allow resetting it). **Server CPU**: user + system seconds the server process used during the ${duration} s run."
  fi
  echo "- **Errors**: non-2xx/3xx responses plus socket errors (connect, read, write, timeout) over all rounds."
  if [ "$noisy" = 1 ]; then
    echo "- **Warning: the machine was not quiet.** Other processes used up to $other_cpu_worst CPU-seconds of the $capacity available in one run (see Rounds); the figures are lower than this machine can do."
  fi
  if [ "$database" = postgres ]; then
    echo "- **Database: PostgreSQL $bench_pg_version**, a throwaway server on 127.0.0.1 started by this script (\`initdb\` defaults, \`fsync\` and \`synchronous_commit\` on, \`max_connections=300\`), sharing the 2 cores with the servers and wrk. Cache on and cache off are two Broadsheet processes (\`Broadsheet__Database__Provider=Postgres\`) on the same database; \`Broadsheet__PageCache__Enabled=false\` turns the output cache off so that every request runs the queries and the Razor rendering."
  else
    echo "- **Database: SQLite** (WAL, \`synchronous=FULL\`). Cache on and cache off are two Broadsheet processes on the same SQLite file; \`Broadsheet__PageCache__Enabled=false\` turns the output cache off so that every request runs the queries and the Razor rendering."
  fi
  echo "- **Search**: \`/search?q=\` on the cache-off server (search pages are never output-cached anyway), $(printf '%s' "${#search_queries[@]}") queries rotated by \`bench/wrk-search.lua\`; response bytes are the average over the queries."
  echo "- **Comment POST**: \`bench/wrk-comment.lua\` posts the real comment form (URL-encoded, WordPress field names, the hidden fields and signed stamp read from the rendered page, same-origin \`Origin\`) with a unique text and email per request to the cache-on server, which runs with \`Broadsheet__Comments__SecondsBetweenComments=0\` and \`Broadsheet__Comments__HoldFirstTimeCommenters=false\` (every other defence and policy on), so every comment is approved and evicts the article's cached page. Requests/s, CPU µs/request and Errors count **accepted** comments only (303 to \`#comment-N\`) and the answers that were not that; latencies are over all answers. The article posted to (\`$post_path\`) is not the one the article rows read, which keeps its 50 comments."
  echo
  echo "## Targets and reference figures (issue 7)"
  echo
  echo "- Cached article page ≥ 0.6 × the ceiling: measured $(awk -v a="${med_rps[article-cached]}" -v c="$ceiling_rps" 'BEGIN { printf "%.2f", (c > 0 ? a / c : 0) }') ×."
  echo "- Uncached article page with 50 comments ≥ 0.1 × the ceiling: measured $(awk -v a="${med_rps[article-uncached]}" -v c="$ceiling_rps" 'BEGIN { printf "%.2f", (c > 0 ? a / c : 0) }') × (the sample article with 50 approved comments, 35 threads and 15 replies)."
  echo "- Comment POST ≥ 1,000 durable accepted comments/s with p99 under 50 ms ($([ "$database" = postgres ] && echo "PostgreSQL, \`synchronous_commit=on\`" || echo "SQLite, \`synchronous=FULL\`")): measured $(printf '%.0f' "${med_rps[comment-post]}")/s, p99 $(awk -v u="$(column_of comment-post 5 | median)" 'BEGIN { printf "%.1f", u / 1000 }') ms."
  echo "- POST-to-visible (POST, then GET of the page its 303 points to until it shows \`id=\"comment-N\"\`; the page was cached before the POST): idle server $visible_idle; during the comment POST load $visible_load."
  echo "- Durability sanity check: $durability"
  echo "- Reference, same wrk settings on this kind of machine, article page with 50 comments: WordPress 6 (PHP-FPM + MariaDB) about 12 requests/s, about 12,400/s behind nginx's full-page cache; Ghost 6 about 50/s. Broadsheet here: $(printf '%.0f' "${med_rps[article-uncached]}")/s uncached, $(printf '%.0f' "${med_rps[article-cached]}")/s cached."
  echo
  echo "## Not yet measured"
  echo
  for item in "${pending[@]}"; do echo "- $item"; done
  echo
  echo "## Rounds"
  echo
  echo "Requests/s of each run, with CPU-seconds used during the run by the server's tiered-JIT thread (should be near 0 once warm), by wrk,$([ "$database" = postgres ] && echo " by the PostgreSQL server (all its processes),") and by every other process on the machine (should be near 0 on a quiet machine). Warm-up per scenario: $(for name in "${scenarios[@]}"; do printf '%s %s s; ' "${label[$name]}" "${warmed_for[$name]}"; done | sed 's/; $//')."
  echo
  rounds_table
  echo
  echo "## Dataset"
  echo
  if [ -n "$demo" ]; then
    echo "- $articles demo articles with 10 comments each (\`Broadsheet seed-demo --articles $articles --comments-per-article 10\`: Bogus Lorem text, threaded comments of mixed statuses) plus the seeded sample article; seeded in ${import_seconds} s (with \`migrate\`)${seed_rate:+; seed-demo: $seed_rate}; $database_size."
  else
    echo "- $articles generated articles (\`bench/generate-articles.py --seed $seed\`, ${markdown_average:-?} bytes of Markdown on average, 8 sections, 40 authors, 60 tags, dated 2024–2025) plus the seeded sample article; imported with \`Broadsheet import markdown\` in ${import_seconds} s; $database_size."
  fi
  echo "- Article page: \`$article_path\` (the sample article). Front page: \`/\`."
  echo "- Search queries (articles each matches in the dataset): $(for query in "${search_queries[@]}"; do printf '`%s` (%s), ' "$query" "${search_matches[$query]}"; done | sed 's/, $//')."
  echo "- Comment POST: wrk posts to \`$post_path\` (article $article_id_post, $post_comments_before comments before, $post_comments_after after); the POST-to-visible samples post to \`$visible_path\`."
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
