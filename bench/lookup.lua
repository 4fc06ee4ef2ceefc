-- lookup.lua - wrk script: GET /api/v1/public/dossiers/{code} for random
-- codes among the BENCH_N bulk-loaded ones (H26.00004-250101-NNNNNNN).
local n = tonumber(os.getenv("BENCH_N") or "1000000")
local prefix = os.getenv("BENCH_PREFIX") or "H26.00004-250101-"
local counter = 0
function setup(thread)
    counter = counter + 1
    thread:set("seed", counter)
end
function init(args)
    math.randomseed(os.time() * 1000 + (seed or 0))
end
function request()
    local path = string.format("/api/v1/public/dossiers/%s%07d", prefix,
        math.random(1, n))
    return wrk.format("GET", path)
end
