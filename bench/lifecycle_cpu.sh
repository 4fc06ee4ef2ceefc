#!/usr/bin/env bash
# bench/lifecycle_cpu.sh - one full-lifecycle run with CPU accounting
# (docs/perf/lifecycle.md).
#
#   bench/lifecycle_cpu.sh [BIN] [SECONDS] [CLIENTS]
#
# Starts `BIN serve` (default build/motcua) on a fresh `init --demo`
# database (LCPU_DB=PATH: on that database instead, made by `init --demo`
# and perhaps `gen`; the run adds its dossiers to it; LCPU_ARGS: more
# options for `serve`, e.g. "--writer-cache-mb 64"), logs in like
# bench/run.sh, runs bench/lifecycle_client.c and
# prints one line: dossiers/s, p99 ms, server CPU ms per dossier (utime +
# stime of /proc/PID/stat) and the mc-writer thread's CPU ms per dossier
# (/proc/PID/task/TID/stat), both read before and after the run, the
# writes per commit, and the server's peak RSS (VmHWM) at the end.
set -euo pipefail

cd "$(dirname "$0")/.."
BIN=${1:-build/motcua}
SECS=${2:-8}
CLIENTS=${3:-64}
. bench/lib.sh
bench_setup motcua-lccpu
DB=${LCPU_DB:-$T/b.db}
[ -n "${LCPU_DB:-}" ] || "$BIN" init --db "$DB" --demo >"$T/init.log" 2>&1
lc_client_build
# shellcheck disable=SC2086 # LCPU_ARGS: words for `serve`
"$BIN" serve --db "$DB" --listen "127.0.0.1:$PORT" ${LCPU_ARGS:-} \
    >"$T/serve.log" 2>&1 &
SRV_PID=$!
wait_health
lc_login
H0=$(curl -fsS "$BASE/api/v1/health")
S0=$(ticks "$SRV_PID"); W0=$(ticks "$SRV_PID" mc-writer)
build/lifecycle_client 127.0.0.1 "$PORT" "$SECS" "$CLIENTS" >"$T/lc.txt"
S1=$(ticks "$SRV_PID"); W1=$(ticks "$SRV_PID" mc-writer)
H1=$(curl -fsS "$BASE/api/v1/health")
HWM=$(awk '/^VmHWM/ { print $2 }' "/proc/$SRV_PID/status")
WR=$(( $(jget 'd["writes"]' <<<"$H1") - $(jget 'd["writes"]' <<<"$H0") ))
CM=$(( $(jget 'd["commits"]' <<<"$H1") - $(jget 'd["commits"]' <<<"$H0") ))
HZ=$(getconf CLK_TCK)
python3 - "$T/lc.txt" "$S0" "$S1" "$W0" "$W1" "$HZ" "$WR" "$CM" "$HWM" <<'PY'
import sys
t = open(sys.argv[1]).read().split()
kv = dict(zip(t[0::2], t[1::2]))
s0, s1, w0, w1 = (list(map(float, a.split())) for a in sys.argv[2:6])
hz = float(sys.argv[6])
n = float(kv["dossiers"])
ms = lambda a, b, i: (b[i] - a[i]) / hz * 1000 / n
print(f"dossiers_per_s {float(kv['dossiers_per_s']):.1f} p99_ms {float(kv['p99_ms']):.1f} "
      f"non2xx {kv['non2xx']} server_cpu_ms_per_dossier {ms(s0, s1, 0) + ms(s0, s1, 1):.3f} "
      f"writer_cpu_ms_per_dossier {ms(w0, w1, 0) + ms(w0, w1, 1):.3f} "
      f"(user {ms(w0, w1, 0):.3f} sys {ms(w0, w1, 1):.3f}) "
      f"writes_per_commit {int(sys.argv[7]) / max(int(sys.argv[8]), 1):.2f} "
      f"serve_peak_rss_mb {int(sys.argv[9]) / 1024:.1f}")
PY
