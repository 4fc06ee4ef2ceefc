-- queue.lua - wrk script: the specialist's queue page,
-- GET /api/v1/dossiers?mine=1&open=1&limit=50 with his Bearer token (BENCH_TOKEN).
-- Against nginx (no BENCH_TOKEN) the same path is served by the static file.
local token = os.getenv("BENCH_TOKEN")
local path = "/api/v1/dossiers?mine=1&open=1&limit=50"
function request()
    if token then
        return wrk.format("GET", path, {["Authorization"] = "Bearer " .. token})
    end
    return wrk.format("GET", path)
end
