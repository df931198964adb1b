-- etcd v3 gateway POST /v3/kv/range of one key. args: key
dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")

function init(args)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.body = '{"key":"' .. base64(args[1]) .. '"}'
end
