-- etcd v3 gateway POST /v3/kv/put: the manifest bytes as value, a new key on every request.
-- args: manifest file, key prefix
dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")
local value64, prefix
local n = 0

function init(args)
  value64 = base64(read_file(args[1]))
  prefix = args[2] .. "bench-" .. tid .. "-"
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  n = n + 1
  return wrk.format(nil, nil, nil, '{"key":"' .. base64(prefix .. n) .. '","value":"' .. value64 .. '"}')
end
