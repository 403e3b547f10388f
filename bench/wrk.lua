-- One wrk script for every target of bench/run.py.
--
-- BENCH_REQUESTS names a file of requests, one a line, fields separated by
-- tabs: method, path, Cookie header, CSRF token, "1" for an htmx request,
-- form body, Accept header (optional). Each thread cycles through the lines, or with BENCH_ONCE=1
-- sends each line once (thread i takes lines i, i + n, ...): a quiz attempt
-- can be submitted only once. A thread that runs out of lines asks for a
-- path that answers 404, so that running dry shows as errors, and counts it.
-- done() prints one line, BENCH_RESULT {json}, for run.py to read.

local file = os.getenv("BENCH_REQUESTS")
local once = os.getenv("BENCH_ONCE") == "1"
local nthreads = tonumber(os.getenv("BENCH_THREADS") or "1")

local threads = {}
local created = 0

function setup(thread)
   thread:set("index", created)
   created = created + 1
   table.insert(threads, thread)
end

local function split(line)
   local fields = {}
   for field in (line .. "\t"):gmatch("([^\t]*)\t") do
      table.insert(fields, field)
   end
   return fields
end

function init(args)
   requests, position, exhausted = {}, 0, 0
   local n = 0
   for line in io.lines(file) do
      if not once or n % nthreads == index then
         local f = split(line)
         local headers = {}
         if f[3] ~= "" then headers["Cookie"] = f[3] end
         if f[4] ~= "" then headers["X-CSRFToken"] = f[4] end
         if f[5] == "1" then headers["HX-Request"] = "true" end
         if f[7] and f[7] ~= "" then headers["Accept"] = f[7] end
         local body = nil
         if f[6] ~= "" then
            body = f[6]
            headers["Content-Type"] = "application/x-www-form-urlencoded"
         end
         table.insert(requests, wrk.format(f[1], f[2], headers, body))
      end
      n = n + 1
   end
   spent = wrk.format("GET", "/bench-pool-exhausted/")
end

function request()
   position = position + 1
   if position > #requests then
      if once then
         exhausted = exhausted + 1
         return spent
      end
      position = 1
   end
   return requests[position]
end

function done(summary, latency, requests)
   local dry = 0
   for _, thread in ipairs(threads) do
      dry = dry + (thread:get("exhausted") or 0)
   end
   local e = summary.errors
   io.write(string.format(
      'BENCH_RESULT {"requests": %d, "duration_us": %d, "bytes": %d, "status_errors": %d, '
         .. '"connect_errors": %d, "read_errors": %d, "write_errors": %d, "timeouts": %d, '
         .. '"p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, "exhausted": %d}\n',
      summary.requests, summary.duration, summary.bytes, e.status, e.connect, e.read,
      e.write, e.timeout, latency:percentile(50), latency:percentile(95),
      latency:percentile(99), latency.max, dry))
end
