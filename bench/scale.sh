#!/usr/bin/env bash
# How Broadsheet's figures grow with the archive (issue 7). Runs bench/run.sh once per size on a
# dataset made by the app's own `seed-demo` (N articles, 10 threaded comments each), keeps each
# size's full result, and writes one table of how every scenario's requests/s, p99 and CPU per
# request change with the size: bench/results/scale-<UTC date-time>.md.
#
#   bench/scale.sh                    10 k, 100 k and 1 M articles (hours: seeding dominates)
#   bench/scale.sh 10000 100000       the sizes given
#
# SQLite only for now: bench/run.sh starts Broadsheet on SQLite; PostgreSQL runs are not wired in.
set -euo pipefail
export LC_ALL=C

bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000 1000000)
for size in "${sizes[@]}"; do
  case "$size" in ''|*[!0-9]*|0) echo "bench/scale.sh: sizes are whole numbers of articles, not '$size'." >&2; exit 2 ;; esac
done

stamp=$(date -u +%Y-%m-%dT%H%M%SZ)
out_dir="$bench_dir/results/scale-$stamp"
mkdir -p "$out_dir"
results=()
for size in "${sizes[@]}"; do
  echo "== $size articles" >&2
  started=$SECONDS
  "$bench_dir/run.sh" --demo "$size" --out "$out_dir/sqlite-$size.md"
  echo "   done in $((SECONDS - started)) s" >&2
  results+=("$out_dir/sqlite-$size.md")
done

summary="$bench_dir/results/scale-$stamp.md"
python3 - "$summary" "$(git -C "$bench_dir" rev-parse HEAD)" "${results[@]}" <<'PY'
import os, re, sys

summary, commit, files = sys.argv[1], sys.argv[2], sys.argv[3:]

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
        rows[row["Scenario"]] = (row["Requests/s"], row["p99 ms"], row["CPU µs/request"])
    return rows

def dataset_line(path):
    for line in open(path, encoding="utf-8"):
        if "demo articles with 10 comments each" in line:
            return line.strip("- \n")
    return "?"

tables = [(re.search(r"sqlite-(\d+)\.md$", f).group(1), main_table(f), dataset_line(f)) for f in files]
scenarios = list(tables[0][1])
with open(summary, "w", encoding="utf-8") as out:
    out.write("# Broadsheet at scale (SQLite)\n\n")
    out.write(f"`bench/scale.sh {' '.join(t[0] for t in tables)}` at commit {commit}: one `bench/run.sh --demo N` per size "
              "(same wrk settings, 3 rounds, medians); each size's full result is in "
              f"`{os.path.relpath(os.path.dirname(files[0]), os.path.dirname(summary))}/`.\n\n")
    for name, column in (("Requests/s", 0), ("p99 ms", 1), ("Server CPU µs per request", 2)):
        out.write(f"## {name}\n\n| Scenario | " + " | ".join(f"{int(size):,} articles" for size, _, _ in tables) + " |\n")
        out.write("|---|" + "---:|" * len(tables) + "\n")
        for scenario in scenarios:
            out.write(f"| {scenario} | " + " | ".join(rows.get(scenario, ("–",) * 3)[column] for _, rows, _ in tables) + " |\n")
        out.write("\n")
    out.write("## Datasets\n\n" + "".join(f"- {line}\n" for _, _, line in tables))
    out.write("\nPostgreSQL: not measured yet (bench/run.sh serves SQLite only).\n")
print(summary)
PY
