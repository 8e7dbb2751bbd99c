-- Loaded by bench/run.sh into every wrk run. It only adds a done() hook (no request() or
-- response() function, so wrk keeps its fast path) that prints one machine-readable line;
-- latencies are in microseconds. Scenario scripts (wrk-search.lua, wrk-comment.lua) load this
-- file with dofile and call bench_report themselves, adding their own fields to the line.
function bench_report(summary, latency, extra)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d bytes=%d status_errors=%d connect_errors=%d read_errors=%d write_errors=%d timeouts=%d p50_us=%d p99_us=%d max_us=%d%s\n",
    summary.requests, summary.duration, summary.bytes, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max, extra or ""))
end

done = function(summary, latency, requests)
  bench_report(summary, latency)
end
