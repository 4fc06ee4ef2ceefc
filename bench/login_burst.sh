#!/usr/bin/env bash
# bench/login_burst.sh - the server's memory over a burst of logins
# (docs/perf/lifecycle.md, round 7).
#
#   bench/login_burst.sh [BIN] [N]
#
# Makes a demo database (`init --demo`, cheap test hashes like every
# bench), adds one official whose password is hashed at full cost
# (argon2id, m = 19 MiB, t = 2, as `motcua user add` does in production),
# starts `BIN serve` (default build/motcua) on it, sends N (default 48)
# logins of that official at once and prints one line: the logins that
# got 201, the seconds they took, and the server's RSS before the burst,
# its peak (VmHWM) and its RSS half a second after, in kB.
set -euo pipefail

cd "$(dirname "$0")/.."
BIN=${1:-build/motcua}
N=${2:-48}
. bench/lib.sh
bench_setup motcua-burst
kb() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$SRV_PID/status"; }

"$BIN" init --db "$T/b.db" --demo >"$T/init.log" 2>&1
env -u MOTCUA_FAST_HASH "$BIN" user add --db "$T/b.db" --username burst.chuyenvien \
    --role specialist --unit H26.00004 --name "Chuyên viên đo tải" \
    --password 'burst-login-2026' >>"$T/init.log" 2>&1
"$BIN" serve --db "$T/b.db" --listen "127.0.0.1:$PORT" >"$T/serve.log" 2>&1 &
SRV_PID=$!
wait_health
BEFORE=$(kb VmRSS)
T0=$(date +%s.%N)
pids=()
for i in $(seq "$N"); do
    curl -s -o /dev/null -w '%{http_code}\n' -H 'Content-Type: application/json' \
        -d '{"username":"burst.chuyenvien","password":"burst-login-2026"}' \
        "$BASE/api/v1/sessions" >"$T/code.$i" &
    pids+=($!)
done
wait "${pids[@]}"
T1=$(date +%s.%N)
sleep 0.5
OK=$(cat "$T"/code.* | grep -c '^201$' || true)
echo "logins_ok $OK of $N seconds $(python3 -c "print(round($T1 - $T0, 2))")" \
    "rss_before_kb $BEFORE peak_kb $(kb VmHWM) rss_after_kb $(kb VmRSS)"
