-- GET /v1/resolve?name=... (the name is in the URL). args: token
dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")

function init(args)
  wrk.method = "GET"
  wrk.headers["Authorization"] = "Bearer " .. args[1]
end
