#!/usr/bin/env bash
# bench/run.sh - motcua benchmarks, each measured side by side with a
# baseline in the same run. Run from the repo root after `make`
# (`make bench` does both). Writes bench/results/latest.{md,json}.
#   1. intake: durable dossier submissions/s via POST /api/v1/dossiers
#      vs. raw single-row autocommit INSERTs (WAL, synchronous=FULL).
#   2. public lookup by code over 1,000,000 dossiers, and the specialist's
#      queue page (GET /api/v1/dossiers?mine=1&limit=50, 40 open dossiers)
#      vs. nginx serving a static file of the same size.
#   3. working-day arithmetic (bench/bench_calendar.c): mc_calendar_add_days
#      additions/s vs. a naive day-by-day loop on the same inputs.
#   4. deadline sweep (`motcua sweep --db`) over 1,000,000 open dossiers
#      with watch rows: one run with 1% changing level (near due, with
#      notifications and the late forecast), one with 0% changing.
#   5. PDF forms (bench/bench_pdf.c): Mẫu 01 receipts/s, 1 and 4 threads.
#   6. history generation (`motcua gen`, the domain code path; read-side
#      indexes built once at the end, in-memory journal without foreign
#      key and CHECK enforcement, rollups summed per batch; see
#      docs/PERFORMANCE.md): dossiers/s
#      and database size per million dossiers; intake then runs on that
#      history, lookup and lifecycle after it is topped up by SQL to the
#      scale's count.
#   7. full lifecycle over HTTP (bench/lifecycle_client.c): dossiers/s
#      carried from submission to returned (6 requests each), 64 clients,
#      on the database of the lookup (the scale's count of dossiers).
#   8. peak RSS of `motcua serve` over its runs (VmHWM).
#   9. PostgreSQL (bench/pg.sh, last): intake and lifecycle against one and
#      two `motcua serve` instances on a throw-away PostgreSQL 15 cluster,
#      next to the SQLite figures. BENCH_PG=0 skips it; BENCH_ONLY=pg runs
#      only it (merging into the existing latest.{md,json}).
#  10. dashboard (bench/dashboard.py) on the generated history: latency
#      p50/p99 of the province's on-time trend for a month and of one
#      unit's Decision 766 index for a year (skipped while that URL answers
#      404) vs. the same figures by a plain SQL GROUP BY over the dossiers.
#      Alone: BENCH_ONLY=dashboard BENCH_DB=PATH bench/run.sh, PATH a
#      database made by `motcua init --demo` + `motcua gen`.
# BENCH_SCALE=1m (default: 1,000,000 dossiers for lookup, 100,000 of them
# generated) or 10m (10,000,000, 1,000,000 generated); BENCH_GEN_N
# overrides the generated count.
set -euo pipefail

cd "$(dirname "$0")/.."
if [ "${BENCH_ONLY:-}" = pg ]; then
    exec bench/pg.sh
fi
BIN=build/motcua
[ -x "$BIN" ] || { echo "bench: build/motcua missing; run make" >&2; exit 1; }
TOOLS="wrk nginx sqlite3 curl python3 cc"
[ "${BENCH_ONLY:-}" = dashboard ] && TOOLS="curl python3"
for t in $TOOLS; do
    command -v "$t" >/dev/null 2>&1 || [ -x "/usr/sbin/$t" ] ||
        { echo "bench: $t missing; run scripts/install-deps.sh bench" >&2; exit 1; }
done
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

T=$(mktemp -d /tmp/motcua-bench.XXXXXX)
chmod 755 "$T"
SRV_PID="" NGX_PID=""
cleanup() {
    [ -n "$SRV_PID" ] && kill "$SRV_PID" 2>/dev/null && wait "$SRV_PID" 2>/dev/null
    [ -n "$NGX_PID" ] && kill "$NGX_PID" 2>/dev/null && wait "$NGX_PID" 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

. bench/lib.sh
PORT=$(free_port)
NPORT=$(free_port)
BASE="http://127.0.0.1:$PORT"
case "${BENCH_SCALE:-1m}" in
    1m) N=1000000; GEN_N=${BENCH_GEN_N:-100000} ;;
    10m) N=10000000; GEN_N=${BENCH_GEN_N:-1000000} ;;
    *) echo "bench: BENCH_SCALE is 1m or 10m" >&2; exit 2 ;;
esac
export MOTCUA_FAST_HASH=1
PEAK_KB=0

start_server() {
    "$BIN" serve --db "${SRV_DB:-$T/b.db}" --listen "127.0.0.1:$PORT" >>"$T/serve.log" 2>&1 &
    SRV_PID=$!
    for _ in $(seq 100); do
        curl -fs "$BASE/api/v1/health" >/dev/null 2>&1 && return 0
        kill -0 "$SRV_PID" 2>/dev/null || break
        sleep 0.1
    done
    echo "bench: server did not start" >&2; cat "$T/serve.log" >&2; exit 1
}
stop_server() {
    local hwm
    hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$SRV_PID/status" 2>/dev/null || echo 0)
    [ "${hwm:-0}" -gt "$PEAK_KB" ] && PEAK_KB=$hwm
    kill "$SRV_PID"; wait "$SRV_PID" 2>/dev/null || true; SRV_PID=""
}
# wrk_parse FILE -> "reqs p50_ms p99_ms non2xx errors"
wrk_parse() {
    python3 - "$1" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
def ms(s):
    m = re.match(r'([\d.]+)(us|ms|s)', s)
    v = float(m.group(1))
    return v / 1000 if m.group(2) == 'us' else v * 1000 if m.group(2) == 's' else v
rps = float(re.search(r'Requests/sec:\s+([\d.]+)', t).group(1))
p50 = ms(re.search(r'^\s+50%\s+(\S+)', t, re.M).group(1))
p99 = ms(re.search(r'^\s+99%\s+(\S+)', t, re.M).group(1))
m = re.search(r'Non-2xx or 3xx responses:\s+(\d+)', t)
non2xx = int(m.group(1)) if m else 0
m = re.search(r'Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)', t)
errs = sum(map(int, m.groups())) if m else 0
print(f"{rps:.1f} {p50:.3f} {p99:.3f} {non2xx} {errs}")
PY
}

# dashboard_bench DB: section 9 against the running server on DB.
dashboard_bench() {
    echo "bench: dashboard latency vs SQL GROUP BY over the dossiers"
    python3 bench/dashboard.py --base "$BASE" --db "$1" --out "$T/dashboard.json"
}

if [ "${BENCH_ONLY:-}" = dashboard ]; then
    SRV_DB=${BENCH_DB:?BENCH_ONLY=dashboard needs BENCH_DB=PATH (motcua init --demo + motcua gen)}
    [ -f "$SRV_DB" ] || { echo "bench: $SRV_DB missing" >&2; exit 1; }
    start_server
    dashboard_bench "$SRV_DB"
    stop_server
    exit 0
fi

echo "bench: machine"
CPUS=$(nproc)
MODEL=$(lscpu | grep 'Model name' | head -1 | sed 's/.*:\s*//')
MEM=$(free -h | awk '/^Mem:/ {print $2}')
DATE=$(date -u +%Y-%m-%dT%H:%M:%SZ)

# --- 1. intake ---------------------------------------------------------
echo "bench: init demo database"
"$BIN" init --db "$T/b.db" --demo >"$T/init.log" 2>&1
dbsize() {
    local n=0 f
    for f in "$1" "$1-wal"; do [ -f "$f" ] && n=$((n + $(stat -c %s "$f"))); done
    echo "$n"
}
echo "bench: motcua gen $GEN_N dossiers (seed 1)"
G_SIZE0=$(dbsize "$T/b.db")
"$BIN" gen --db "$T/b.db" --dossiers "$GEN_N" --years 2 --seed 1 \
    --end 2026-11-01 >"$T/gen.json"
sqlite3 "$T/b.db" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
G_SIZE1=$(dbsize "$T/b.db")
G_RATE=$(jget 'd["dossiers_per_s"]' <"$T/gen.json")
G_SECS=$(jget 'd["seconds"]' <"$T/gen.json")
G_TRANS=$(jget 'd["transitions"]' <"$T/gen.json")
G_LATE=$(jget 'd["late"]' <"$T/gen.json")
G_ONLINE=$(jget 'd["online"]' <"$T/gen.json")
G_MB_PER_M=$(python3 -c "print(round(($G_SIZE1 - $G_SIZE0) / $GEN_N * 1e6 / 1048576))")
start_server
# --- 9. dashboard, on the generated history before anything else writes --
dashboard_bench "$T/b.db"
lc_login
TOKEN=$LC_CITIZEN
UNIT=$LC_UNIT
H0=$(curl -fsS "$BASE/api/v1/health")
echo "bench: intake wrk (unit $UNIT)"
BENCH_TOKEN=$TOKEN BENCH_UNIT=$UNIT wrk -t2 -c64 -d10s --latency \
    -s bench/intake.lua "$BASE" >"$T/intake.txt"
H1=$(curl -fsS "$BASE/api/v1/health")
read -r I_RPS I_P50 I_P99 I_NON2XX I_ERR <<<"$(wrk_parse "$T/intake.txt")"
C0=$(jget 'd["commits"]' <<<"$H0"); W0=$(jget 'd["writes"]' <<<"$H0")
C1=$(jget 'd["commits"]' <<<"$H1"); W1=$(jget 'd["writes"]' <<<"$H1")

stop_server

echo "bench: raw insert baseline (5 s)"
cc -O2 -o build/raw_insert bench/raw_insert.c -lsqlite3
RAW=$(build/raw_insert "$T/raw.db" 5)

# --- 2. public lookup --------------------------------------------------
HAVE=$(sqlite3 "$T/b.db" "SELECT count(*) FROM dossiers")
TOP=$((N > HAVE + 200000 ? N - HAVE : 200000))
echo "bench: bulk-load $TOP dossiers by SQL on top of $HAVE"
L0=$(date +%s.%N)
sqlite3 "$T/b.db" <<SQL
PRAGMA synchronous=OFF;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $TOP),
u AS (SELECT id, path FROM units WHERE code = 'H26.00004'),
p AS (SELECT id, code FROM procedures WHERE code = '1.001193' ORDER BY version DESC LIMIT 1)
INSERT INTO dossiers (code, procedure_id, procedure_code, recv_unit_id,
    recv_unit_path, unit_id, unit_path, applicant_name, channel, state, status,
    submitted_at, received_at, due_at, due_original, finished_at, returned_at,
    search_key, updated_at)
SELECT 'H26.00004-250101-' || printf('%07d', i), p.id, p.code, u.id, u.path,
    u.id, u.path, 'Nguyễn Văn Đức', 1 + i % 3, 'returned', 10,
    1735664400 + i * 20, 1735664400 + i * 20 + 600,
    1735664400 + i * 20 + 864000, 1735664400 + i * 20 + 864000,
    1735664400 + i * 20 + 432000, 1735664400 + i * 20 + 518400,
    'nguyen van duc', 1735664400 + i * 20 + 518400
FROM n, u, p;
COMMIT;
SQL
L1=$(date +%s.%N)
LOAD_S=$(python3 -c "print(f'{$L1 - $L0:.1f}')")
COUNT=$(sqlite3 "$T/b.db" "SELECT count(*) FROM dossiers")
start_server
SAMPLE="H26.00004-250101-$(printf '%07d' 123456)"
curl -fsS -o "$T/sample.json" "$BASE/api/v1/public/dossiers/$SAMPLE"
SIZE=$(stat -c %s "$T/sample.json")

echo "bench: lookup wrk"
BENCH_N=$TOP wrk -t2 -c32 -d10s --latency -s bench/lookup.lua "$BASE" >"$T/lookup.txt"
read -r K_RPS K_P50 K_P99 K_NON2XX K_ERR <<<"$(wrk_parse "$T/lookup.txt")"

# The specialist's queue page on the same server: first an open queue of
# 40 dossiers submitted, received and assigned to him through the API.
echo "bench: queue (40 dossiers assigned to badinh.chuyenvien)"
lc_login
Q_CIT=$LC_CITIZEN; Q_DESK=$LC_DESK; Q_LEAD=$LC_LEADER
Q_SPEC=$LC_SPEC; Q_SPEC_ID=$LC_SPEC_ID; Q_UNIT=$LC_UNIT
q_post() { # token path body
    curl -fsS -H 'Content-Type: application/json' -H "Authorization: Bearer $1" \
        -d "$3" "$BASE/api/v1$2"
}
for _ in $(seq 40); do
    QID=$(q_post "$Q_CIT" /dossiers "{\"procedure_code\":\"1.001193\",\"receiving_unit_id\":$Q_UNIT,\"applicant_name\":\"Trần Thị Mai\"}" | jget 'd["id"]')
    q_post "$Q_DESK" "/dossiers/$QID/transitions" '{"action":"receive"}' >/dev/null
    q_post "$Q_LEAD" "/dossiers/$QID/transitions" "{\"action\":\"assign\",\"assignee_id\":$Q_SPEC_ID}" >/dev/null
done
curl -fsS -o "$T/queue.json" -H "Authorization: Bearer $Q_SPEC" "$BASE/api/v1/dossiers?mine=1&limit=50"
Q_SIZE=$(stat -c %s "$T/queue.json")
Q_ROWS=$(jget 'len(d["items"])' <"$T/queue.json")
[ "$Q_ROWS" -ge 40 ] || { echo "bench: queue has $Q_ROWS rows, expected 40" >&2; exit 1; }
echo "bench: queue wrk ($Q_ROWS rows, $Q_SIZE bytes)"
BENCH_TOKEN=$Q_SPEC wrk -t2 -c32 -d10s --latency -s bench/queue.lua "$BASE" >"$T/queue.txt"
read -r Q_RPS Q_P50 Q_P99 Q_NON2XX Q_ERR <<<"$(wrk_parse "$T/queue.txt")"

echo "bench: full lifecycle over HTTP (64 clients, 10 s, $COUNT dossiers in the database)"
lc_client_build
build/lifecycle_client 127.0.0.1 "$PORT" 10 64 >"$T/lifecycle.txt"
lc_get() { awk -v k="$1" '{ for (i = 1; i < NF; i++) if ($i == k) print $(i + 1) }' "$T/lifecycle.txt"; }
LC_RATE=$(lc_get dossiers_per_s); LC_N=$(lc_get dossiers)
LC_REQS=$(lc_get requests); LC_BAD=$(lc_get non2xx)
LC_P50=$(lc_get p50_ms); LC_P99=$(lc_get p99_ms)
stop_server

echo "bench: nginx baseline (static file, $SIZE bytes)"
mkdir -p "$T/ngx/www" "$T/ngx/logs"
cp "$T/sample.json" "$T/ngx/www/d.json"
cp "$T/queue.json" "$T/ngx/www/q.json"
chmod -R a+rX "$T/ngx"
cat >"$T/ngx/nginx.conf" <<NGX
daemon off;
worker_processes 1;
pid $T/ngx/nginx.pid;
error_log $T/ngx/logs/error.log;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $T/ngx/tmp_body;
    proxy_temp_path $T/ngx/tmp_proxy;
    fastcgi_temp_path $T/ngx/tmp_fcgi;
    uwsgi_temp_path $T/ngx/tmp_uwsgi;
    scgi_temp_path $T/ngx/tmp_scgi;
    server {
        listen 127.0.0.1:$NPORT;
        root $T/ngx/www;
        default_type application/json;
        location = /api/v1/dossiers { try_files /q.json =404; }
        location / { try_files /d.json =404; }
    }
}
NGX
"$NGINX" -p "$T/ngx" -e "$T/ngx/logs/error.log" -c "$T/ngx/nginx.conf" &
NGX_PID=$!
for _ in $(seq 50); do
    curl -fs "http://127.0.0.1:$NPORT/" >/dev/null 2>&1 && break
    sleep 0.1
done
wrk -t2 -c32 -d10s --latency -s bench/lookup.lua "http://127.0.0.1:$NPORT" >"$T/nginx.txt"
read -r G_RPS G_P50 G_P99 G_NON2XX G_ERR <<<"$(wrk_parse "$T/nginx.txt")"
echo "bench: nginx baseline for the queue (static file, $Q_SIZE bytes)"
wrk -t2 -c32 -d10s --latency -s bench/queue.lua "http://127.0.0.1:$NPORT" >"$T/nginx_queue.txt"
read -r GQ_RPS GQ_P50 GQ_P99 GQ_NON2XX GQ_ERR <<<"$(wrk_parse "$T/nginx_queue.txt")"
kill "$NGX_PID"; wait "$NGX_PID" 2>/dev/null || true; NGX_PID=""

# --- 3. working-day arithmetic ------------------------------------------
echo "bench: calendar arithmetic (bench_calendar, 1 s per measurement)"
PKGS="libmicrohttpd jansson sqlite3 libargon2 libcrypto libutf8proc pangocairo cairo libqrencode xlsxwriter"
# shellcheck disable=SC2046
cc -std=c11 -O2 -D_DEFAULT_SOURCE -D_GNU_SOURCE -Isrc -include src/banned.h \
    $(pkg-config --cflags $PKGS) -o build/bench_calendar \
    bench/bench_calendar.c build/libmotcua.a $(pkg-config --libs $PKGS) -lm -pthread
build/bench_calendar 1 >"$T/calendar.txt"
cal_get() {
    awk -v k="$1" '$1 == k { print $2; found = 1 } END { if (!found) exit 1 }' "$T/calendar.txt" ||
        { echo "bench: bench_calendar printed no $1" >&2; cat "$T/calendar.txt" >&2; exit 1; }
}
C_FAST=$(cal_get add_days_tables)
C_NAIVE=$(cal_get add_days_naive_loop)
C_BETWEEN=$(cal_get between)
C_DEADLINE=$(cal_get deadline_workdays)
C_BUILD=$(cal_get calendar_build_ms)

# --- 4. deadline sweep --------------------------------------------------
echo "bench: sweep over $N open dossiers"
"$BIN" init --db "$T/s.db" --demo >"$T/init_s.log" 2>&1
# now = 2026-03-09 09:00 +07 (a Monday); 1% due in 3 hours (near due),
# the rest due in 30 days with their next check 20 days away.
SNOW=1773021600
sqlite3 "$T/s.db" <<SQL
PRAGMA synchronous=OFF;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $N),
u AS (SELECT id, path FROM units WHERE code = 'H26.00004'),
p AS (SELECT id, code FROM procedures WHERE code = '1.001193' ORDER BY version DESC LIMIT 1)
INSERT INTO dossiers (code, procedure_id, procedure_code, recv_unit_id,
    recv_unit_path, unit_id, unit_path, applicant_name, channel, state, status,
    submitted_at, received_at, due_at, due_original, step_seq, search_key,
    updated_at)
SELECT 'S26.00004-260309-' || printf('%07d', i), p.id, p.code, u.id, u.path,
    u.id, u.path, 'Nguyễn Văn Đức', 1 + i % 3, 'processing', 4,
    $SNOW - 86400, $SNOW - 86400,
    CASE WHEN i % 100 = 0 THEN $SNOW + 10800 ELSE $SNOW + 30 * 86400 END,
    CASE WHEN i % 100 = 0 THEN $SNOW + 10800 ELSE $SNOW + 30 * 86400 END,
    2, 'nguyen van duc', $SNOW - 86400
FROM n, u, p;
INSERT INTO dossier_watch (dossier_id, next_check_at, level)
SELECT id, CASE WHEN due_at < $SNOW + 86400 THEN $SNOW - 60
                ELSE $SNOW + 20 * 86400 END, 0
FROM dossiers WHERE code LIKE 'S26.00004-260309-%';
COMMIT;
SQL
SOPEN=$(sqlite3 "$T/s.db" "SELECT count(*) FROM dossier_watch")
sweep_time() {
    local t0 t1
    t0=$(date +%s.%N)
    "$BIN" sweep --db "$T/s.db" --now 2026-03-09T09:00:00+07:00         --spool "$T/spool.jsonl" >"$T/sweep_$1.json"
    t1=$(date +%s.%N)
    python3 -c "print(f'{$t1 - $t0:.3f}')"
}
S1_S=$(sweep_time 1)
# Deliver the notifications the 1% run queued, so the 0% run measures a
# sweep with nothing to do (delivery has its own cost, not the sweep's).
for _ in $(seq 1 100); do
    "$BIN" sweep --db "$T/s.db" --now 2026-03-09T09:00:00+07:00 \
        --spool "$T/spool.jsonl" >"$T/drain.json"
    [ "$(jget 'd["delivered"]' <"$T/drain.json")" = 0 ] && break
done
S0_S=$(sweep_time 0)
S1_CHECKED=$(jget 'd["checked"]' <"$T/sweep_1.json")
S1_NEAR=$(jget 'd["near_due"]' <"$T/sweep_1.json")
S1_NOTES=$(jget 'd["notifications"]' <"$T/sweep_1.json")
S1_APOL=$(jget 'd.get("apologies", 0)' <"$T/sweep_1.json")
S0_CHECKED=$(jget 'd["checked"]' <"$T/sweep_0.json")

# --- 5. PDF forms ---------------------------------------------------------
echo "bench: PDF receipts (bench_pdf, 2 s per measurement)"
# shellcheck disable=SC2046
cc -std=c11 -O2 -D_DEFAULT_SOURCE -D_GNU_SOURCE -Isrc -include src/banned.h \
    $(pkg-config --cflags $PKGS) -o build/bench_pdf \
    bench/bench_pdf.c build/libmotcua.a $(pkg-config --libs $PKGS) -lm -pthread
build/bench_pdf 2 4 >"$T/pdf.txt"
pdf_get() {
    awk -v k="$1" '$1 == "threads" && $2 == k":" { for (i = 1; i < NF; i++) if ($(i + 1) == "receipts/s;") print $i; found = 1 }
        END { if (!found) exit 1 }' "$T/pdf.txt" ||
        { echo "bench: bench_pdf printed no row for $1 threads" >&2; cat "$T/pdf.txt" >&2; exit 1; }
}
P1=$(pdf_get 1)
P4=$(pdf_get 4)

# --- report ------------------------------------------------------------
mkdir -p bench/results
python3 - "$@" <<PY
import json
def ratio(a, b): return round(a / b, 3) if b else None
cpus, model, mem, date = "$CPUS", """$MODEL""", "$MEM", "$DATE"
i_rps, i_p50, i_p99, i_non, i_err = $I_RPS, $I_P50, $I_P99, $I_NON2XX, $I_ERR
raw = $RAW
c0, w0, c1, w1 = $C0, $W0, $C1, $W1
k_rps, k_p50, k_p99, k_non, k_err = $K_RPS, $K_P50, $K_P99, $K_NON2XX, $K_ERR
g_rps, g_p50, g_p99, g_non, g_err = $G_RPS, $G_P50, $G_P99, $G_NON2XX, $G_ERR
q_rps, q_p50, q_p99, q_non, q_err = $Q_RPS, $Q_P50, $Q_P99, $Q_NON2XX, $Q_ERR
gq_rps, gq_p50, gq_p99, gq_non, gq_err = $GQ_RPS, $GQ_P50, $GQ_P99, $GQ_NON2XX, $GQ_ERR
c_fast, c_naive, c_betw, c_dl, c_build = $C_FAST, $C_NAIVE, $C_BETWEEN, $C_DEADLINE, $C_BUILD
s_open, s1_s, s0_s = $SOPEN, $S1_S, $S0_S
s1_checked, s1_near, s1_notes, s1_apol, s0_checked = $S1_CHECKED, $S1_NEAR, $S1_NOTES, $S1_APOL, $S0_CHECKED
p1, p4 = $P1, $P4
g_n, g_rate, g_secs, g_trans, g_late, g_online, g_mb = $GEN_N, $G_RATE, $G_SECS, $G_TRANS, $G_LATE, $G_ONLINE, $G_MB_PER_M
lc_rate, lc_n, lc_reqs, lc_bad, lc_p50, lc_p99 = $LC_RATE, $LC_N, $LC_REQS, $LC_BAD, $LC_P50, $LC_P99
peak_kb = $PEAK_KB
scale = "${BENCH_SCALE:-1m}"
dc, dw = c1 - c0, w1 - w0
wpc = round(dw / dc, 2) if dc else None
res = {
  "date": date,
  "machine": {"nproc": int(cpus), "model": model, "memory": mem},
  "intake": {"wrk": "-t2 -c64 -d10s", "req_per_s": i_rps, "p50_ms": i_p50,
             "p99_ms": i_p99, "non_2xx": i_non, "socket_errors": i_err,
             "baseline_raw_insert_per_s": raw, "ratio": ratio(i_rps, raw),
             "health_before": {"commits": c0, "writes": w0},
             "health_after": {"commits": c1, "writes": w1},
             "writes_per_commit": wpc},
  "lookup": {"wrk": "-t2 -c32 -d10s", "dossiers": $COUNT,
             "bulk_load_s": $LOAD_S, "response_bytes": $SIZE,
             "req_per_s": k_rps, "p50_ms": k_p50, "p99_ms": k_p99,
             "non_2xx": k_non, "socket_errors": k_err,
             "baseline_nginx_req_per_s": g_rps, "baseline_nginx_p99_ms": g_p99,
             "baseline_nginx_non_2xx": g_non,
             "ratio": ratio(k_rps, g_rps)},
  "queue": {"wrk": "-t2 -c32 -d10s",
            "request": "GET /api/v1/dossiers?mine=1&limit=50 as badinh.chuyenvien",
            "dossiers": $COUNT, "rows": $Q_ROWS, "response_bytes": $Q_SIZE,
            "req_per_s": q_rps, "p50_ms": q_p50, "p99_ms": q_p99,
            "non_2xx": q_non, "socket_errors": q_err,
            "baseline_nginx_req_per_s": gq_rps, "baseline_nginx_p99_ms": gq_p99,
            "baseline_nginx_non_2xx": gq_non,
            "ratio": ratio(q_rps, gq_rps)},
  "calendar": {"tool": "build/bench_calendar 1",
               "add_days_per_s": c_fast,
               "baseline_naive_loop_adds_per_s": c_naive,
               "ratio": ratio(c_fast, c_naive),
               "between_per_s": c_betw, "deadline_workdays_per_s": c_dl,
               "calendar_build_ms": c_build},
  "sweep": {"tool": "motcua sweep --db", "open_dossiers": s_open,
            "changing_1pct": {"seconds": s1_s, "checked": s1_checked,
                              "near_due": s1_near,
                              "notifications": s1_notes,
                              "apologies": s1_apol},
            "changing_0pct": {"seconds": s0_s, "checked": s0_checked}},
  "pdf": {"tool": "build/bench_pdf 2 4", "receipts_per_s_1_thread": p1,
          "receipts_per_s_4_threads": p4},
  "gen": {"tool": "motcua gen --years 2 --seed 1", "scale": scale,
          "dossiers": g_n, "seconds": g_secs, "dossiers_per_s": g_rate,
          "transitions": g_trans, "late": g_late, "online": g_online,
          "db_mb_per_million": g_mb},
  "lifecycle": {"tool": "bench/lifecycle_client 10 s, 64 clients",
                "dossiers": lc_n, "dossiers_per_s": lc_rate,
                "requests": lc_reqs, "non_2xx": lc_bad, "p50_ms": lc_p50,
                "p99_ms": lc_p99},
  "serve_peak_rss_kb": peak_kb,
  "dashboard": json.load(open("$T/dashboard.json")),
}
json.dump(res, open("bench/results/latest.json", "w"), indent=2, ensure_ascii=False)
L = [
 "# motcua benchmarks", "",
 f"- Date: {date}",
 f"- Machine: {cpus} CPUs (nproc), {model}, {mem} RAM", "",
 "| metric | ours | baseline | ratio |",
 "|---|---:|---:|---:|",
 f"| intake: durable submissions/s (POST /api/v1/dossiers, wrk -c64) vs raw autocommit INSERT/s (WAL, synchronous=FULL) | {i_rps:.0f} | {raw:.0f} | {ratio(i_rps, raw)} |",
 f"| intake: p50 latency (ms) | {i_p50:.2f} | | |",
 f"| intake: p99 latency (ms) | {i_p99:.2f} | | |",
 f"| intake: non-2xx responses / socket errors | {i_non} / {i_err} | | |",
 f"| intake: commits / writes during run (writes per commit) | {dc} / {dw} ({wpc}) | 1 write per commit | |",
 f"| lookup: req/s (GET /api/v1/public/dossiers/{{code}}, {$COUNT:,} dossiers, wrk -c32) vs nginx static {$SIZE} B file | {k_rps:.0f} | {g_rps:.0f} | {ratio(k_rps, g_rps)} |",
 f"| lookup: p99 latency (ms) | {k_p99:.2f} | {g_p99:.2f} | {ratio(k_p99, g_p99)} |",
 f"| lookup: non-2xx responses / socket errors | {k_non} / {k_err} | {g_non} / {g_err} | |",
 f"| queue: req/s (GET /api/v1/dossiers?mine=1&limit=50, the specialist's {$Q_ROWS} open dossiers among {$COUNT:,}, wrk -c32) vs nginx static {$Q_SIZE} B file | {q_rps:.0f} | {gq_rps:.0f} | {ratio(q_rps, gq_rps)} |",
 f"| queue: p99 latency (ms) | {q_p99:.2f} | {gq_p99:.2f} | {ratio(q_p99, gq_p99)} |",
 f"| queue: non-2xx responses / socket errors | {q_non} / {q_err} | {gq_non} / {gq_err} | |",
 f"| calendar: working-day additions/s (mc_calendar_add_days, prefix tables, 1..60 days, one core) vs naive day-by-day loop | {c_fast:.0f} | {c_naive:.0f} | {ratio(c_fast, c_naive)} |",
 f"| calendar: working days between two dates, calls/s (mc_calendar_between) | {c_betw:.0f} | | |",
 f"| calendar: deadlines/s (mc_calendar_deadline, workdays, 15:00 cut-off) | {c_dl:.0f} | | |",
 f"| calendar: build of 1800..2199 (ms) | {c_build} | | |",
 f"| sweep: one run over {s_open:,} open dossiers, 1% changing level ({s1_checked} checked, {s1_notes} notifications, {s1_apol} apologies) (s) vs 0% changing | {s1_s} | {s0_s} | {ratio(s1_s, s0_s)} |",
 f"| PDF: Mẫu 01 receipts/s, 1 thread / 4 threads | {p1} | {p4} | {ratio(p4, p1)} |",
 f"| gen: dossiers/s generated through the domain code, read-side indexes built once at the end, in-memory journal, no FK/CHECK enforcement, rollups summed and dossier rows written once per batch (motcua gen, {g_n:,} dossiers, {g_trans:,} transitions, {g_secs} s; late {g_late}, online {g_online}) vs SQL bulk load rows/s | {g_rate:.0f} | {$TOP / $LOAD_S:.0f} | {ratio(g_rate, $TOP / $LOAD_S)} |",
 f"| gen: database size per million generated dossiers (MB, events + ledger + audit) | {g_mb} | | |",
 f"| full lifecycle: dossiers/s submitted to returned over HTTP (6 requests each, 64 keep-alive clients, 10 s, {$COUNT:,} dossiers already in the database; {lc_reqs} requests, {lc_bad} non-2xx) vs intake submissions/s | {lc_rate} | {i_rps:.0f} | {ratio(lc_rate * 6, i_rps)} (requests) |",
 f"| full lifecycle: request p50 / p99 latency (ms) | {lc_p50} | {lc_p99} | |",
 f"| serve: peak RSS over the intake, lifecycle and lookup runs (MB, VmHWM) | {peak_kb / 1024:.1f} | | |",
] + [
 f"| dashboard: {d['name']} ({d['url']}): skipped, the URL answers 404 | | | |" if d.get("skipped") else
 f"| dashboard: {d['name']}, p50 / p99 latency (ms, {d['requests']} requests, {g_n:,} generated dossiers) vs the same figures by SQL GROUP BY over the dossiers ({d['baseline_runs']} runs{', figures match' if d.get('figures_match') else ''}) | {d['p50_ms']} / {d['p99_ms']} | {d['baseline_p50_ms']} / {d['baseline_p99_ms']} | {d['ratio_p50']}x faster (p50) |"
 for d in res["dashboard"]
] + [
 "",
 f"Ratio = ours / baseline. Bulk load of {$TOP:,} dossiers by SQL (on top of the generated history and the intake runs: {$COUNT:,} in all) took {$LOAD_S} s.",
 f"Health counters: before commits={c0} writes={w0}; after commits={c1} writes={w1}.",
 "",
]
open("bench/results/latest.md", "w").write("\n".join(L))
print("\n".join(L))
PY

if [ "$I_NON2XX" != 0 ] || [ "$K_NON2XX" != 0 ] || [ "${Q_NON2XX:-0}" != 0 ] || [ "$LC_BAD" != 0 ]; then
    echo "bench: FAIL: non-2xx responses (intake $I_NON2XX, lookup $K_NON2XX, queue $Q_NON2XX, lifecycle $LC_BAD)" >&2
    exit 1
fi

# --- 9. PostgreSQL, one and two instances ---------------------------------
if [ "${BENCH_PG:-1}" != 0 ]; then
    bench/pg.sh
fi
