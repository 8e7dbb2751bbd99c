-- Comment POST scenario: posts the article's real comment form, as a browser without script
-- does (application/x-www-form-urlencoded, same-origin Origin header, the form's hidden fields
-- and signed stamp taken by bench/run.sh from a rendered page), with a text and an email unique
-- to this run, thread and request, so that duplicate detection refuses none of them.
--
-- Only "303 See Other" with a Location ending in #comment-N counts as accepted; a Location with
-- ?unapproved= is a held comment (accepted but not visible). Everything else (4xx, 5xx, 200 with
-- a re-rendered form) is "other". The summary line gets accepted=, held= and other=.
--
-- Environment (set by run.sh): BENCH_DIR, BENCH_POST_PATH (the article's path),
-- BENCH_POST_ORIGIN (http://127.0.0.1:port), BENCH_FORM_FIXED (the hidden fields, URL-encoded),
-- BENCH_RUN_ID (unique per wrk run, so that two runs never post the same text).
dofile(os.getenv("BENCH_DIR") .. "/wrk-report.lua")

local path = assert(os.getenv("BENCH_POST_PATH"), "BENCH_POST_PATH is not set")
local origin = assert(os.getenv("BENCH_POST_ORIGIN"), "BENCH_POST_ORIGIN is not set")
local fixed = assert(os.getenv("BENCH_FORM_FIXED"), "BENCH_FORM_FIXED is not set")
local run = os.getenv("BENCH_RUN_ID") or "0"
local headers = {
  ["Content-Type"] = "application/x-www-form-urlencoded",
  ["Origin"] = origin,
}

local threads = {}
function setup(thread)
  threads[#threads + 1] = thread
  thread:set("thread_number", #threads)
end

function init(args)
  sent, accepted, held, other = 0, 0, 0, 0
end

local function encode(text)
  return (text:gsub("[^%w%-%._~ ]", function(c) return string.format("%%%02X", string.byte(c)) end):gsub(" ", "+"))
end

function request()
  sent = sent + 1
  local tag = run .. "-" .. thread_number .. "-" .. sent
  local comment = "Reader comment " .. tag .. ": I read the whole piece twice and I am still not sure the figures add up. "
    .. "Who pays for the delays, and when will the council publish the full report? Thanks for covering this."
  return wrk.format("POST", path, headers, fixed
    .. "&comment=" .. encode(comment)
    .. "&author=" .. encode("Bench Reader " .. thread_number)
    .. "&email=" .. encode("reader-" .. tag .. "@example.com")
    .. "&url=")
end

function response(status, response_headers, body)
  local location = response_headers["Location"] or response_headers["location"]
  if status == 303 and location and location:find("#comment%-%d+$") then
    accepted = accepted + 1
    if location:find("unapproved=", 1, true) then
      held = held + 1
    end
  else
    other = other + 1
  end
end

done = function(summary, latency, requests)
  local a, h, o = 0, 0, 0
  for _, thread in ipairs(threads) do
    a = a + (thread:get("accepted") or 0)
    h = h + (thread:get("held") or 0)
    o = o + (thread:get("other") or 0)
  end
  bench_report(summary, latency, string.format(" accepted=%d held=%d other=%d", a, h, o))
end
