#!/usr/bin/env bash
# bench/queue_cpu.sh - instructions per queue request under callgrind
# (docs/perf/reads.md, "Reads: the queue page").
#
#   [QCPU_DB=PATH] bench/queue_cpu.sh [BIN] [N]
#
# Serves a copy of QCPU_DB with BIN (default build/motcua) under
# callgrind, logs badinh.chuyenvien in, sends 20 warm-up requests of
# GET /api/v1/dossiers?mine=1&open=1&limit=50 on one keep-alive connection,
# zeroes the counters, sends N more (default 500), dumps the counters and
# prints one line: bytes of the answer, total instructions, instructions
# per request (every thread of the server). Without QCPU_DB a database is
# made first the way bench/run.sh section 2 makes its own, smaller
# (`init --demo`, `gen` of 10,000, a bulk load of 200,000, then 40
# dossiers submitted, received and assigned to the specialist through the
# API, served by BIN without callgrind); QCPU_SAVE=PATH keeps it there
# for the next runs (old and new binaries on the same rows). The profile
# stays in $QCPU_KEEP/cg.out.1 when QCPU_KEEP is set (callgrind_annotate
# --inclusive=yes --tree=calling reads it).
set -euo pipefail

cd "$(dirname "$0")/.."
BIN=${1:-build/motcua}
N=${2:-500}
. bench/lib.sh
bench_setup motcua-qcpu

# make_db: $T/b.db as described above.
make_db() {
    local qid
    "$BIN" init --db "$T/b.db" --demo >"$T/init.log" 2>&1
    "$BIN" gen --db "$T/b.db" --dossiers 10000 --years 2 --seed 1 \
        --end 2026-11-01 >"$T/gen.json"
    bulk_dossiers "$T/b.db" 200000
    "$BIN" serve --db "$T/b.db" --listen "127.0.0.1:$PORT" >"$T/make.log" 2>&1 &
    SRV_PID=$!
    wait_health
    lc_login
    q_post() { # token path body
        curl -fsS -H 'Content-Type: application/json' \
            -H "Authorization: Bearer $1" -d "$3" "$BASE/api/v1$2"
    }
    for _ in $(seq 40); do
        qid=$(q_post "$LC_CITIZEN" /dossiers "{\"procedure_code\":\"1.001193\",\"receiving_unit_id\":$LC_UNIT,\"applicant_name\":\"Trần Thị Mai\"}" | jget 'd["id"]')
        q_post "$LC_DESK" "/dossiers/$qid/transitions" '{"action":"receive"}' >/dev/null
        q_post "$LC_LEADER" "/dossiers/$qid/transitions" "{\"action\":\"assign\",\"assignee_id\":$LC_SPEC_ID}" >/dev/null
    done
    kill "$SRV_PID"
    wait "$SRV_PID" 2>/dev/null || true
    SRV_PID=""
    sqlite3 "$T/b.db" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
    if [ -n "${QCPU_SAVE:-}" ]; then
        cp "$T/b.db" "$QCPU_SAVE"
    fi
}

if [ -n "${QCPU_DB:-}" ]; then
    cp "$QCPU_DB" "$T/b.db"
else
    make_db
fi
cg_serve "$BIN"
TOKEN=$(login badinh.chuyenvien chuyenvien123! | jget 'd["token"]')
URL="$BASE/api/v1/dossiers?mine=1&open=1&limit=50"
# reqs K: K requests on one connection (curl reuses it), answers dropped
reqs() {
    for _ in $(seq "$1"); do printf 'url = "%s"\noutput = "/dev/null"\n' "$URL"; done >"$T/curl.cfg"
    curl -fsS -H "Authorization: Bearer $TOKEN" -K "$T/curl.cfg"
}
curl -fsS -o "$T/q.json" -H "Authorization: Bearer $TOKEN" "$URL"
reqs 20
callgrind_control -z "$SRV_PID" >/dev/null 2>&1
reqs "$N"
callgrind_control -d "$SRV_PID" >/dev/null 2>&1
IR=$(awk '/^totals:/ {print $2}' "$T"/cg.out.*1 | head -1)
echo "bytes $(stat -c %s "$T/q.json") instructions $IR per_request $((IR / N))"
if [ -n "${QCPU_KEEP:-}" ]; then
    mkdir -p "$QCPU_KEEP"
    cp "$T"/cg.out.*1 "$QCPU_KEEP/cg.out.1"
    cp "$T/q.json" "$QCPU_KEEP/q.json"
fi
