-- wrk load for FaultsUnderLoadIT and ExactCountsIT (run by CountingWrk): cycles through the
-- requests given as arguments and counts every response by request, status and time slot.
--
--   wrk -t N -c N ... -s counting-wrk.lua URL -- SLOT_MS STOP_AFTER REQUEST...
--
-- SLOT_MS: width of a time slot in ms of wall-clock time (0: a single slot 0).
-- STOP_AFTER: a thread stops once it has this many responses (0: run for wrk's -d); it then
--   prints "STOPPED <thread>" so that the caller can interrupt wrk (which otherwise sleeps -d).
-- REQUEST: METHOD,PATH[,BODY_BYTES[,ajax]]; a body is that many 'x' as text/plain;charset=UTF-8,
--   ajax adds X-Requested-With: XMLHttpRequest.
--
-- One connection per thread (-t = -c) is required: a response then always answers the request
-- the same thread sent last, which is how a response is matched with its request.
--
-- done() prints, per thread, "THREAD <id> <sent> <completed>" and one
-- "COUNT <slot> <request index> <status> <n>" per key, then
-- "SUMMARY <requests> <connect> <read> <write> <status> <timeout>" (wrk's own figures).

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_usec; } counting_wrk_timeval;
int gettimeofday(counting_wrk_timeval *tv, void *tz);
]]
local tv = ffi.new("counting_wrk_timeval")

local function now_ms()
  ffi.C.gettimeofday(tv, nil)
  return tonumber(tv.tv_sec) * 1000 + math.floor(tonumber(tv.tv_usec) / 1000)
end

-- Main state: every thread, for done().
local threads = {}
local thread_count = 0

function setup(thread)
  thread:set("id", thread_count)
  thread_count = thread_count + 1
  table.insert(threads, thread)
end

-- Thread state. Globals, so that done() reads them through thread:get.
sent = 0
completed = 0
counts = {}

local requests = {}
local slot_ms = 0
local stop_after = 0
local index = 0
local current = 0
local verifying = false

local function split(text)
  local parts = {}
  for part in string.gmatch(text, "[^,]+") do
    table.insert(parts, part)
  end
  return parts
end

function init(args)
  slot_ms = tonumber(args[1])
  stop_after = tonumber(args[2])
  for i = 3, #args do
    local p = split(args[i])
    local headers = { ["Host"] = wrk.headers["Host"] }
    local body = nil
    local bytes = tonumber(p[3] or "0")
    if bytes > 0 then
      body = string.rep("x", bytes)
      headers["Content-Type"] = "text/plain;charset=UTF-8"
    end
    if p[4] == "ajax" then
      headers["X-Requested-With"] = "XMLHttpRequest"
    end
    table.insert(requests, wrk.format(p[1], p[2], headers, body))
  end
  -- Threads start at different requests, so that the connections do not move in step.
  index = id % #requests
  verifying = id == 0
end

function request()
  if verifying then
    -- wrk calls request() once on its first thread, right after init(), to check the request
    -- (and count pipelined ones); that one is never sent, so it is not counted.
    verifying = false
    return requests[index % #requests + 1]
  end
  current = index % #requests + 1
  index = index + 1
  sent = sent + 1
  return requests[current]
end

function response(status, headers, body)
  completed = completed + 1
  local slot = 0
  if slot_ms > 0 then
    slot = math.floor(now_ms() / slot_ms)
  end
  local key = slot .. " " .. current .. " " .. status
  counts[key] = (counts[key] or 0) + 1
  if stop_after > 0 and completed >= stop_after then
    io.write("STOPPED ", id, "\n")
    io.flush()
    wrk.thread:stop()
  end
end

function done(summary, latency, reqs)
  for _, t in ipairs(threads) do
    io.write("THREAD ", t:get("id"), " ", t:get("sent"), " ", t:get("completed"), "\n")
    for key, n in pairs(t:get("counts")) do
      io.write("COUNT ", key, " ", n, "\n")
    end
  end
  local e = summary.errors
  io.write("SUMMARY ", summary.requests, " ", e.connect, " ", e.read, " ", e.write, " ",
    e.status, " ", e.timeout, "\n")
  io.flush()
end
