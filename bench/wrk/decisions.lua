-- POST /v1/decisions, cycling through the bodies written by bench/decisions_credentials.py
-- (one compact JSON body per line; each thread starts at a different line).
-- args: bodies file, token with scope decide
dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")
local bodies = {}
local n = 0

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then bodies[#bodies + 1] = line end
  end
  assert(#bodies > 0, "no request bodies in " .. args[1])
  n = (tid * 37) % #bodies
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. args[2]
end

function request()
  n = n % #bodies + 1
  return wrk.format(nil, nil, nil, bodies[n])
end
