#!/usr/bin/env bash
# bench/queue_cpu.sh - instructions per queue request under callgrind
# (docs/PERFORMANCE.md, "Reads: the queue page").
#
#   QCPU_DB=PATH bench/queue_cpu.sh [BIN] [N]
#
# Serves a copy of QCPU_DB (a database made like bench/run.sh section 2:
# `init --demo`, `gen`, the bulk load, then the 40 dossiers assigned to
# badinh.chuyenvien) with BIN (default build/motcua) under callgrind, logs
# the specialist in, sends 20 warm-up requests of
# GET /api/v1/dossiers?mine=1&limit=50 on one keep-alive connection, zeroes
# the counters, sends N more (default 500), dumps the counters and prints
# one line: bytes of the answer, total instructions, instructions per
# request. The profile stays in $QCPU_KEEP/cg.out.1 when QCPU_KEEP is set
# (callgrind_annotate reads it).
set -euo pipefail

cd "$(dirname "$0")/.."
BIN=${1:-build/motcua}
N=${2:-500}
[ -n "${QCPU_DB:-}" ] || { echo "queue_cpu: set QCPU_DB" >&2; exit 1; }
. bench/lib.sh
bench_setup motcua-qcpu
cp "$QCPU_DB" "$T/b.db"
cg_serve "$BIN"
TOKEN=$(login badinh.chuyenvien chuyenvien123! | jget 'd["token"]')
URL="$BASE/api/v1/dossiers?mine=1&limit=50"
# reqs K: K requests on one connection (curl reuses it), answers dropped
reqs() {
    local i
    for i in $(seq "$1"); do printf 'url = "%s"\noutput = "/dev/null"\n' "$URL"; done >"$T/curl.cfg"
    curl -fsS -H "Authorization: Bearer $TOKEN" -K "$T/curl.cfg"
}
curl -fsS -o "$T/q.json" -H "Authorization: Bearer $TOKEN" "$URL"
reqs 20
callgrind_control -z "$SRV_PID" >/dev/null
reqs "$N"
callgrind_control -d "$SRV_PID" >/dev/null
IR=$(awk '/^totals:/ {print $2}' "$T"/cg.out.*1 | head -1)
echo "bytes $(stat -c %s "$T/q.json") instructions $IR per_request $((IR / N))"
if [ -n "${QCPU_KEEP:-}" ]; then
    mkdir -p "$QCPU_KEEP"
    cp "$T"/cg.out.*1 "$QCPU_KEEP/cg.out.1"
    cp "$T/q.json" "$QCPU_KEEP/q.json"
fi
