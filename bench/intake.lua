-- intake.lua - wrk script: POST a new dossier as a logged-in citizen.
-- BENCH_TOKEN and BENCH_UNIT come from the environment (bench/run.sh).
local token = os.getenv("BENCH_TOKEN") or ""
local unit = os.getenv("BENCH_UNIT") or "0"
wrk.method = "POST"
wrk.path = "/api/v1/dossiers"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. token
wrk.body = '{"procedure_code":"1.001193","receiving_unit_id":' .. unit ..
    ',"applicant_name":"Nguyễn Văn Đức"}'
