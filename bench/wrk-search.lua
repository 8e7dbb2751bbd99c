-- Search scenario: rotates the queries in $BENCH_SEARCH_QUERIES (URL-encoded, separated by "|")
-- so that no single query's plan or page cache flatters the figure. Each thread starts at a
-- different query. Loaded by bench/run.sh, which sets BENCH_DIR.
dofile(os.getenv("BENCH_DIR") .. "/wrk-report.lua")

local queries = {}
for query in (os.getenv("BENCH_SEARCH_QUERIES") or ""):gmatch("[^|]+") do
  queries[#queries + 1] = query
end
assert(#queries > 0, "BENCH_SEARCH_QUERIES is empty")

local threads = 0
function setup(thread)
  thread:set("thread_number", threads)
  threads = threads + 1
end

local next_query
function init(args)
  next_query = (thread_number or 0) % #queries
end

function request()
  next_query = next_query % #queries + 1
  return wrk.format("GET", "/search?q=" .. queries[next_query])
end
