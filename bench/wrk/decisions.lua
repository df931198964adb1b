-- POST /v1/decisions, cycling through the bodies written by bench/decisions_credentials.py
-- (one compact JSON body per line; each thread starts at a different line).
-- args: bodies file, token with scope decide
-- The requests are formatted once, in init: formatting one per request in Lua cost wrk more
-- CPU than the server spends on a decision, on the same two cores.
dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")
local requests = {}
local n = 0

function init(args)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. args[2]
  for line in io.lines(args[1]) do
    if #line > 0 then requests[#requests + 1] = wrk.format(nil, nil, nil, line) end
  end
  assert(#requests > 0, "no request bodies in " .. args[1])
  n = (tid * 37) % #requests
end

function request()
  n = n % #requests + 1
  return requests[n]
end
