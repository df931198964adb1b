-- POST /v1/services with the manifest, a new instance.id on every request.
-- args: manifest file (compact JSON containing "id":"x" for the instance), admin token,
--       optionally a tag that keeps the ids of several wrk processes apart
dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")
local head, tail, prefix
local n = 0

function init(args)
  local body = read_file(args[1])
  local s, e = body:find('"id"%s*:%s*"x"')
  assert(s, "the manifest has no \"id\":\"x\" to replace")
  head = body:sub(1, s - 1) .. '"id":"'
  tail = '"' .. body:sub(e + 1)
  prefix = "bench-" .. (args[3] or "") .. tid .. "-"
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. args[2]
end

function request()
  n = n + 1
  return wrk.format(nil, nil, nil, head .. prefix .. n .. tail)
end
