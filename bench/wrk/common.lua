-- Shared by the registry benchmark's wrk scripts (bench/registry.sh): base64 and a
-- machine-readable summary line.
local bit = require("bit")
local alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
local digits = {}
for i = 1, 64 do digits[i - 1] = alphabet:sub(i, i) end

function base64(s)
  local out, n = {}, #s
  for i = 1, n, 3 do
    local a, b, c = s:byte(i, i + 2)
    local v = bit.bor(bit.lshift(a, 16), bit.lshift(b or 0, 8), c or 0)
    out[#out + 1] = digits[bit.band(bit.rshift(v, 18), 63)] .. digits[bit.band(bit.rshift(v, 12), 63)]
      .. (b and digits[bit.band(bit.rshift(v, 6), 63)] or "=") .. (c and digits[bit.band(v, 63)] or "=")
  end
  return table.concat(out)
end

function read_file(path)
  local f = assert(io.open(path, "rb"))
  local data = f:read("*a")
  f:close()
  return data
end

-- Each thread gets a distinct number, so ids built from (thread, counter) never collide.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

-- RESULT <requests/s> <p99 ms> <requests> <non-2xx/3xx> <socket errors>
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %.1f %.3f %d %d %d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(99) / 1000,
    summary.requests, e.status, e.connect + e.read + e.write + e.timeout))
end
