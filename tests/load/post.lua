-- Copyright 2026 The Thrombo Authors.
-- wrk script: POSTs the request bodies listed in the manifest (env LOAD_MANIFEST, one path a
-- line) in turn, each thread from its own offset; stops each thread after LOAD_PER_THREAD
-- responses when that is set; done() prints one machine-readable line for run.sh.

local bodies = {}
local next_index = 1
local limit = tonumber(os.getenv("LOAD_PER_THREAD") or "0")
local responses = 0
local bad = 0
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("offset", counter)
  table.insert(threads, thread)
end

function init(args)
  local manifest = assert(os.getenv("LOAD_MANIFEST"), "LOAD_MANIFEST is not set")
  for path in io.lines(manifest) do
    local f = assert(io.open(path, "rb"))
    bodies[#bodies + 1] = f:read("*a")
    f:close()
  end
  assert(#bodies > 0, "no bodies in " .. manifest)
  -- Spread the threads over the list so they do not send the same body at the same time.
  next_index = ((offset or 1) - 1) * math.floor(#bodies / 2) % #bodies + 1
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  local body = bodies[next_index]
  next_index = next_index % #bodies + 1
  return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
  responses = responses + 1
  if status ~= 200 then bad = bad + 1 end
  if limit > 0 and responses >= limit then wrk.thread:stop() end
end

function done(summary, latency, requests)
  local errors = summary.errors
  local non2xx = errors.status
  local socket = errors.connect + errors.read + errors.write + errors.timeout
  io.write(string.format(
    "WRK requests=%d seconds=%.2f rps=%.1f p50_ms=%.3f p99_ms=%.3f p999_ms=%.3f max_ms=%.3f " ..
    "non2xx=%d socket_errors=%d bytes=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, latency.max / 1000, non2xx, socket, summary.bytes))
end
