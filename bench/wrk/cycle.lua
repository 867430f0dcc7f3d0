-- wrk script: cycles through a generated request list (bench/gen/gen_pacts.py writes requests.lua).
-- Usage: wrk ... -s bench/wrk/cycle.lua URL -- path/to/requests.lua
-- Requests are formatted once per thread in init(), so the per-request Lua cost is an index increment.
-- done() prints one line "WRK_JSON {...}" with throughput, latency percentiles and error counts.

local counter = 0
local threads = {}

function setup(thread)
  counter = counter + 1
  thread:set("thread_no", counter)
  table.insert(threads, thread)
end

local formatted = {}
local next_index = 1

function init(args)
  local list = dofile(args[1])
  for i, r in ipairs(list) do
    formatted[i] = wrk.format(r.method, r.path, r.headers, r.body)
  end
  -- Threads start at different points of the list so they do not send the same request in lockstep.
  next_index = ((thread_no or 1) - 1) * math.floor(#formatted / 2) % #formatted + 1
end

function request()
  local r = formatted[next_index]
  next_index = next_index + 1
  if next_index > #formatted then next_index = 1 end
  return r
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests":%d,"duration_s":%.3f,"rps":%.1f,"bytes":%d,"p50_ms":%.3f,"p90_ms":%.3f,' ..
    '"p99_ms":%.3f,"max_ms":%.3f,"non2xx":%d,"connect_errors":%d,"read_errors":%d,"write_errors":%d,"timeouts":%d}\n',
    summary.requests, seconds, summary.requests / seconds, summary.bytes,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.status, e.connect, e.read, e.write, e.timeout))
end
