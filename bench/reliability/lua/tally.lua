-- What every kind of request shares: counting answers by status class,
-- the quiet tail of the writes, and the report line `done` prints.
--
-- Prepended by hangar-reliability: a table `plan` with `kind`, `quiet_from_ms`
-- (a Unix time in ms after which a writing kind issues nothing more, so
-- that no write is in flight when wrk stops), `budget` (the most requests
-- this kind may issue, or -1), and what requests.lua needs.

local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_usec; } hangar_timeval;
  int gettimeofday(hangar_timeval *tv, void *tz);
]]
local now_tv = ffi.new("hangar_timeval")

-- The wall clock in ms: the quiet tail is a moment shared by every wrk
-- process, which os.time() (whole seconds) is too coarse for.
local function now_ms()
  ffi.C.gettimeofday(now_tv, nil)
  return tonumber(now_tv.tv_sec) * 1000 + tonumber(now_tv.tv_usec) / 1000
end

-- Per-thread counters (run with -t1: one thread, one Lua state, all its
-- connections). `issued` counts the requests sent, `granted` counts delay()'s
-- go-aheads, so request() never runs past `budget`.
tally = { issued = 0, granted = 0, held = 0, exhausted = 0, acked = 0,
          s1xx = 0, s2xx = 0, s3xx = 0, s4xx = 0, s5xx = 0,
          sample4xx = "", sample5xx = "" }

-- A long pause: longer than any run, so a held connection sends nothing more.
local HOLD_MS = 100000000

function delay()
  if plan.quiet_from_ms > 0 and now_ms() >= plan.quiet_from_ms then
    tally.held = tally.held + 1
    return HOLD_MS
  end
  if plan.budget >= 0 and tally.granted >= plan.budget then
    tally.exhausted = 1
    tally.held = tally.held + 1
    return HOLD_MS
  end
  tally.granted = tally.granted + 1
  return 0
end

-- One line, no newlines: a sample of an unexpected answer.
local function sample(status, body)
  local text = (body or ""):sub(1, 300):gsub("[\r\n\t]+", " ")
  return tostring(status) .. " " .. text
end

function response(status, headers, body)
  if status >= 500 then
    tally.s5xx = tally.s5xx + 1
    if tally.sample5xx == "" then tally.sample5xx = sample(status, body) end
  elseif status >= 400 then
    tally.s4xx = tally.s4xx + 1
    if tally.sample4xx == "" then tally.sample4xx = sample(status, body) end
  elseif status >= 300 then
    tally.s3xx = tally.s3xx + 1
    if tally.sample4xx == "" then tally.sample4xx = sample(status, body) end
  elseif status >= 200 then
    tally.s2xx = tally.s2xx + 1
    if acknowledged(status, body) then tally.acked = tally.acked + 1 end
  else
    tally.s1xx = tally.s1xx + 1
  end
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

-- The counters of every thread, summed (wrk's `done` runs in its own Lua
-- state, so it reads them through thread:get).
local function summed()
  local sum = {}
  for _, thread in ipairs(threads) do
    local t = thread:get("tally")
    for key, value in pairs(t) do
      if type(value) == "number" then
        sum[key] = (sum[key] or 0) + value
      elseif (sum[key] or "") == "" then
        sum[key] = value
      end
    end
  end
  return sum
end

-- Machine-readable: `hangar-load key=value ...`, then one line per sample.
function done(summary, latency, requests)
  local t = summed()
  local e = summary.errors
  io.write(string.format(
    "hangar-load kind=%s requests=%d duration_us=%d issued=%d held=%d exhausted=%d acked=%d " ..
    "s1xx=%d s2xx=%d s3xx=%d s4xx=%d s5xx=%d p50_us=%d p99_us=%d max_us=%d " ..
    "connect=%d read=%d write=%d timeout=%d status=%d\n",
    plan.kind, summary.requests, summary.duration, t.issued or 0, t.held or 0, t.exhausted or 0, t.acked or 0,
    t.s1xx or 0, t.s2xx or 0, t.s3xx or 0, t.s4xx or 0, t.s5xx or 0,
    math.floor(latency:percentile(50)), math.floor(latency:percentile(99)), math.floor(latency.max),
    e.connect, e.read, e.write, e.timeout, e.status))
  if (t.sample4xx or "") ~= "" then io.write("hangar-load-sample kind=" .. plan.kind .. " " .. t.sample4xx .. "\n") end
  if (t.sample5xx or "") ~= "" then io.write("hangar-load-sample kind=" .. plan.kind .. " " .. t.sample5xx .. "\n") end
end
