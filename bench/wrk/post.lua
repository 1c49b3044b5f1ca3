-- wrk script for every row: POSTs one fixed body with the row's headers, optionally paced, and prints
-- one machine-readable line that bench/run parses.
--
--   BENCH_BODY      file holding the request body
--   BENCH_HEADERS   file of "Name: value" lines (optional)
--   BENCH_DELAY_MS  mean pause between a response and the next request on a connection (optional).
--                   Debian's wrk (4.x) has no fixed-rate mode; with C connections this gives about
--                   C / (delay + latency) requests/s: a closed loop with think time, not an open loop.
--                   The pause is drawn uniformly from [0.5, 1.5] x delay so that the connections do
--                   not fire in lockstep.

local function read_file(path)
  local f = assert(io.open(path, "rb"), "cannot open " .. tostring(path))
  local text = f:read("*a")
  f:close()
  return text
end

wrk.method = "POST"
wrk.body = read_file(os.getenv("BENCH_BODY"))
wrk.headers["Content-Type"] = "application/json"

local headers_file = os.getenv("BENCH_HEADERS")
if headers_file and headers_file ~= "" then
  for line in io.lines(headers_file) do
    local name, value = line:match("^([^:]+):%s*(.-)%s*$")
    if name then wrk.headers[name] = value end
  end
end

local delay_ms = tonumber(os.getenv("BENCH_DELAY_MS") or "")
if delay_ms and delay_ms > 0 then
  function delay()
    return math.floor(delay_ms * (0.5 + math.random()))
  end
end

-- Latencies are in microseconds. errors_status counts answers that were not 2xx/3xx.
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d bytes=%d errors_connect=%d errors_read=%d errors_write=%d " ..
    "errors_status=%d errors_timeout=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d mean_us=%d\n",
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, math.floor(latency.mean)))
end
