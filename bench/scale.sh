#!/usr/bin/env bash
# How Broadsheet's figures grow with the archive (issue 7), on SQLite and on PostgreSQL. Runs
# bench/run.sh once per size and database on a dataset made by the app's own `seed-demo` (N
# articles, 10 threaded comments each), keeps each run's full result, and writes one table per
# figure (requests/s, p99, CPU per request) with a column per database and size and how much each
# grew from the smallest size to the largest: bench/results/scale-<UTC date-time>.md.
#
#   bench/scale.sh                                10 k, 100 k and 1 M articles on both databases (many hours)
#   bench/scale.sh 10000 100000                   the sizes given, both databases
#   bench/scale.sh --database postgres 10000      one database (sqlite, postgres or both)
#
# Each size on SQLite seeds a fresh file; on PostgreSQL, a fresh throwaway server (run.sh starts
# and deletes it). The sizes run smallest first, each database in turn.
set -euo pipefail
export LC_ALL=C

bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
invocation="bench/scale.sh${*:+ $*}"
databases=(sqlite postgres) sizes=()
while [ $# -gt 0 ]; do
  case "$1" in
    --database)
      case "${2:-}" in
        sqlite|postgres) databases=("$2") ;;
        both) databases=(sqlite postgres) ;;
        *) echo "bench/scale.sh: --database is sqlite, postgres or both, not '${2:-}'." >&2; exit 2 ;;
      esac
      shift ;;
    -h|--help) sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) sizes+=("$1") ;;
  esac
  shift
done
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000 1000000)
for size in "${sizes[@]}"; do
  case "$size" in ''|*[!0-9]*|0) echo "bench/scale.sh: sizes are whole numbers of articles, not '$size'." >&2; exit 2 ;; esac
done
mapfile -t sizes < <(printf '%s\n' "${sizes[@]}" | sort -n -u)

stamp=$(date -u +%Y-%m-%dT%H%M%SZ)
out_dir="$bench_dir/results/scale-$stamp"
mkdir -p "$out_dir"
results=()
for size in "${sizes[@]}"; do
  for database in "${databases[@]}"; do
    echo "== $size articles on $database (load: $(cut -d' ' -f1-3 /proc/loadavg))" >&2
    started=$SECONDS
    "$bench_dir/run.sh" --demo "$size" --database "$database" --out "$out_dir/$database-$size.md"
    echo "   done in $((SECONDS - started)) s" >&2
    results+=("$out_dir/$database-$size.md")
  done
done

summary="$bench_dir/results/scale-$stamp.md"
python3 - "$summary" "$(git -C "$bench_dir" rev-parse HEAD)" "$invocation" "${results[@]}" <<'PY'
import os, re, sys

summary, commit, invocation, files = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
names = {"sqlite": "SQLite", "postgres": "PostgreSQL"}

def main_table(path):
    """Rows of the first table of a run.sh result: scenario -> (req/s, p99 ms, CPU us/request)."""
    rows, header = {}, None
    for line in open(path, encoding="utf-8"):
        if not line.startswith("|"):
            if header:
                break
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if header is None:
            header = cells
            continue
        if set(cells[0]) <= set("-:"):
            continue
        row = dict(zip(header, cells))
        rows[row["Scenario"]] = (row["Requests/s"], row["p99 ms"], row["CPU µs/request"], row.get("PostgreSQL CPU µs/request", "–"))
    return rows

def lines_of(path, *starts):
    return [line.strip("- \n") for line in open(path, encoding="utf-8") if line.startswith(tuple("- " + s for s in starts))]

runs = []  # (database, size, rows, dataset lines, warnings)
for path in files:
    database, size = re.search(r"(sqlite|postgres)-(\d+)\.md$", path).groups()
    text = open(path, encoding="utf-8").read()
    noisy = "**Warning: the machine was not quiet.**" in text
    failed = "\n## Failures\n" in text
    runs.append((database, int(size), main_table(path), lines_of(path, f"{size} demo articles"), noisy, failed))

databases = [d for d in names if any(r[0] == d for r in runs)]
sizes = sorted({r[1] for r in runs})
scenarios = list(dict.fromkeys(s for r in runs for s in r[2]))
columns = [(d, s) for d in databases for s in sizes]
by_key = {(r[0], r[1]): r for r in runs}

def number(text):
    try:
        return float(text.replace(",", ""))
    except (ValueError, AttributeError):
        return None

with open(summary, "w", encoding="utf-8") as out:
    out.write(f"# Broadsheet at scale ({' and '.join(names[d] for d in databases)})\n\n")
    out.write(f"`{invocation}` at commit {commit}: one `bench/run.sh --demo N --database D` per size and database "
              "(same wrk settings, 3 rounds, medians); each run's full result, with its machine load, is in "
              f"`{os.path.relpath(os.path.dirname(files[0]), os.path.dirname(summary))}/`. "
              + ("*Growth* is the figure at the largest size divided by the figure at the smallest, per database "
                 "(issue 7: article p99 and search latency at most 2× from 10 k to 1 M).\n\n" if len(sizes) > 1 else
                 "One size only: the columns compare the two databases on the same dataset; growth needs a second size.\n\n"))
    figures = [("Requests/s", 0, databases), ("p99 ms", 1, databases), ("App server CPU µs per request", 2, databases)]
    if "postgres" in databases:
        # On SQLite the database works inside the app's process; PostgreSQL's own CPU is counted apart.
        figures.append(("PostgreSQL server CPU µs per request (on top of the app's)", 3, ["postgres"]))
    for title, column, shown in figures:
        columns = [(d, s) for d in shown for s in sizes]
        header = "| Scenario | " + " | ".join(
            f"{names[d]}, {s:,} articles" + (f" | {names[d]} growth" if len(sizes) > 1 and s == sizes[-1] else "")
            for d, s in columns) + " |\n"
        out.write(f"## {title}\n\n{header}")
        out.write("|---|" + "---:|" * (header.count("|") - 2) + "\n")
        for scenario in scenarios:
            cells = []
            for d, s in columns:
                value = by_key.get((d, s), (None, None, {}))[2].get(scenario, ("–",) * 4)[column]
                cells.append(value)
                if len(sizes) > 1 and s == sizes[-1]:
                    first = number(by_key.get((d, sizes[0]), (None, None, {}))[2].get(scenario, ("–",) * 4)[column])
                    last = number(value)
                    cells.append(f"{last / first:.2f}×" if first and last is not None else "–")
            out.write(f"| {scenario} | " + " | ".join(cells) + " |\n")
        out.write("\n")
    out.write("## Datasets\n\n")
    for d, s in [(d, s) for d in databases for s in sizes]:
        if (d, s) in by_key:
            _, _, _, dataset, noisy, failed = by_key[(d, s)]
            notes = (" **The machine was not quiet during this run** (see its Rounds)." if noisy else "") + (
                " **This run reported failures** (see its file)." if failed else "")
            out.write(f"- {names[d]}: " + " ".join(dataset) + notes + "\n")
print(summary)
PY
