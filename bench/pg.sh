#!/usr/bin/env bash
# bench/pg.sh - the PostgreSQL section of the benchmarks (bench/run.sh runs
# it last unless BENCH_PG=0; `BENCH_ONLY=pg bench/run.sh` runs only this).
# In a throw-away PostgreSQL 15 cluster (pg_virtualenv, as `make test`):
# `motcua init --demo`, then
#   intake (bench/intake.lua under wrk) and the full lifecycle
#   (bench/lifecycle_client.c) against one `motcua serve`, then against two
#   instances on different ports with the load split evenly (two wrk / two
#   lifecycle clients at once, half the connections each; figures summed);
#   first the same two loads against one instance on a SQLite copy of the
#   demo database, so the comparison is made under the same machine load.
# Adds a "postgresql" object to bench/results/latest.json and a PostgreSQL
# table to latest.md (replacing an earlier one), next to the SQLite
# figures already there. BENCH_PG_SECS (default 10) is the length of each
# run; BENCH_PG_CONNS (default 64) the connections in all.
set -euo pipefail

cd "$(dirname "$0")/.."
BIN=build/motcua
SECS=${BENCH_PG_SECS:-10}
CONNS=${BENCH_PG_CONNS:-64}
export MOTCUA_FAST_HASH=1

if [ "${1:-}" != --inner ]; then
    [ -x "$BIN" ] || { echo "bench-pg: build/motcua missing; run make" >&2; exit 1; }
    for t in wrk curl python3 cc pg_virtualenv; do
        command -v "$t" >/dev/null 2>&1 ||
            { echo "bench-pg: $t missing (scripts/install-deps.sh bench test)" >&2; exit 1; }
    done
    cc -std=gnu11 -O2 -o build/lifecycle_client bench/lifecycle_client.c -pthread
    OUT=$(mktemp --suffix=.json /tmp/motcua-bench-pg.XXXXXX)
    trap 'rm -f "$OUT"' EXIT
    echo "bench-pg: throw-away PostgreSQL 15 cluster (pg_virtualenv)"
    pg_virtualenv -v 15 bash "$0" --inner "$OUT" >/tmp/motcua-bench-pg.log 2>&1 || {
        echo "bench-pg: FAIL; log:" >&2; tail -40 /tmp/motcua-bench-pg.log >&2; exit 1; }
    grep '^bench-pg:' /tmp/motcua-bench-pg.log || true
    mkdir -p bench/results
    python3 - "$OUT" <<'PY'
import json, os, re, sys
pg = json.load(open(sys.argv[1]))
jp, mp = "bench/results/latest.json", "bench/results/latest.md"
d = json.load(open(jp)) if os.path.exists(jp) else {}
d["postgresql"] = pg
json.dump(d, open(jp, "w"), indent=2, ensure_ascii=False)
sq_i = d.get("intake", {}).get("req_per_s")
sq_l = d.get("lifecycle", {}).get("dossiers_per_s")
def ratio(a, b): return round(a / b, 3) if a and b else ""
def f0(x): return "%.0f" % x if x is not None else "-"
i1, i2 = pg["intake_1"], pg["intake_2"]
l1, l2 = pg["lifecycle_1"], pg["lifecycle_2"]
i0, l0 = pg["sqlite_same_run"]["intake"], pg["sqlite_same_run"]["lifecycle"]
L = [
 "## PostgreSQL (bench/pg.sh)", "",
 f"- Date: {pg['date']}; PostgreSQL {pg['server_version']} in a throw-away "
 f"pg_virtualenv cluster on the same machine (its settings: fsync "
 f"{pg['fsync']}, synchronous_commit {pg['synchronous_commit']}); demo "
 f"database; {pg['secs']} s per run, {pg['conns']} connections in all "
 f"(split evenly over the instances); load average "
 f"{pg['loadavg_1m_at_start']} when it started.",
 "- Two instances share one write order (every write transaction takes the "
 "audit-chain advisory lock first, docs/OPERATIONS.md), so a second "
 "instance adds read capacity, not write throughput.",
 "- SQLite columns: *same run* is one instance on a SQLite copy of the "
 "same demo database, measured just before, under the same machine load; "
 "*table above* repeats the SQLite rows of the main run (database with the "
 "generated history, another time).", "",
 "| metric | PostgreSQL, 1 instance | PostgreSQL, 2 instances | SQLite, same run | SQLite, table above | PG 2 inst. / PG 1 inst. | PG 1 inst. / SQLite same run |",
 "|---|---:|---:|---:|---:|---:|---:|",
 f"| intake: durable submissions/s (POST /api/v1/dossiers) | {f0(i1['req_per_s'])} | {f0(i2['req_per_s'])} | {f0(i0['req_per_s'])} | {f0(sq_i)} | {ratio(i2['req_per_s'], i1['req_per_s'])} | {ratio(i1['req_per_s'], i0['req_per_s'])} |",
 f"| intake: p50 / p99 latency (ms) | {i1['p50_ms']:.2f} / {i1['p99_ms']:.2f} | {i2['p50_ms']:.2f} / {i2['p99_ms']:.2f} | {i0['p50_ms']:.2f} / {i0['p99_ms']:.2f} | | | |",
 f"| intake: non-2xx / socket errors | {i1['non_2xx']} / {i1['socket_errors']} | {i2['non_2xx']} / {i2['socket_errors']} | {i0['non_2xx']} / {i0['socket_errors']} | | | |",
 f"| full lifecycle: dossiers/s submitted to returned (6 requests each) | {l1['dossiers_per_s']} | {l2['dossiers_per_s']} | {l0['dossiers_per_s']} | {sq_l if sq_l is not None else '-'} | {ratio(l2['dossiers_per_s'], l1['dossiers_per_s'])} | {ratio(l1['dossiers_per_s'], l0['dossiers_per_s'])} |",
 f"| full lifecycle: request p50 / p99 latency (ms) | {l1['p50_ms']} / {l1['p99_ms']} | {l2['p50_ms']} / {l2['p99_ms']} | {l0['p50_ms']} / {l0['p99_ms']} | | | |",
 f"| full lifecycle: non-2xx | {l1['non_2xx']} | {l2['non_2xx']} | {l0['non_2xx']} | | | |",
 "",
]
md = open(mp).read() if os.path.exists(mp) else "# motcua benchmarks\n\n"
md = re.sub(r"\n## PostgreSQL \(bench/pg\.sh\).*\Z", "\n", md, flags=re.S)
md = md.rstrip("\n") + "\n\n" + "\n".join(L)
open(mp, "w").write(md)
print("\n".join(L))
PY
    bad=$(python3 -c 'import json,sys; p=json.load(open(sys.argv[1])); print(sum(p[k]["non_2xx"] for k in ("intake_1","intake_2","lifecycle_1","lifecycle_2")) + sum(v["non_2xx"] for v in p["sqlite_same_run"].values()))' "$OUT")
    [ "$bad" = 0 ] || { echo "bench-pg: FAIL: $bad non-2xx responses" >&2; exit 1; }
    exit 0
fi

# ---- inner: inside pg_virtualenv (PG* variables point at the cluster) ----
OUT=$2
T=$(mktemp -d /tmp/motcua-bench-pg.XXXXXX)
PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
    rm -rf "$T"
}
trap cleanup EXIT
. bench/lib.sh # free_port, jget (login is this file's own, below)

NAME=motcua_bench_$$
psql -X -q -d postgres -v ON_ERROR_STOP=1 -c "CREATE DATABASE $NAME" >/dev/null
URL=$(python3 -c '
import os, sys, urllib.parse
q = {k: os.environ[v] for k, v in (("host", "PGHOST"), ("port", "PGPORT"),
                                    ("user", "PGUSER")) if os.environ.get(v)}
print("postgresql:///%s" % sys.argv[1] + ("?" + urllib.parse.urlencode(q) if q else ""))' "$NAME")
VER=$(psql -X -tA -d "$NAME" -c "SHOW server_version")
FSYNC=$(psql -X -tA -d "$NAME" -c "SHOW fsync")
SYNC=$(psql -X -tA -d "$NAME" -c "SHOW synchronous_commit")
LOAD=$(cut -d' ' -f1 /proc/loadavg)
echo "bench-pg: init demo database ($URL)"
"$BIN" init --db "$URL" --demo >"$T/init.log" 2>&1

P1=$(free_port); P2=$(free_port)
start() { # port [db]
    "$BIN" serve --db "${2:-$URL}" --listen "127.0.0.1:$1" --files "$T/files" \
        >>"$T/serve.$1.log" 2>&1 &
    PIDS+=($!)
    for _ in $(seq 200); do
        curl -fs "http://127.0.0.1:$1/api/v1/health" >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    echo "bench-pg: server on $1 did not start" >&2; cat "$T/serve.$1.log" >&2; exit 1
}
login() {
    curl -fsS -H 'Content-Type: application/json' \
        -d "{\"username\":\"$1\",\"password\":\"$2\"}" \
        "http://127.0.0.1:$LP/api/v1/sessions"
}
wrk_parse() {
    python3 - "$@" <<'PY'
import json, re, sys
tot = {"req_per_s": 0.0, "p50_ms": 0.0, "p99_ms": 0.0, "non_2xx": 0,
       "socket_errors": 0}
def ms(s):
    m = re.match(r'([\d.]+)(us|ms|s)', s)
    v = float(m.group(1))
    return v / 1000 if m.group(2) == 'us' else v * 1000 if m.group(2) == 's' else v
for f in sys.argv[1:]:
    t = open(f).read()
    tot["req_per_s"] += float(re.search(r'Requests/sec:\s+([\d.]+)', t).group(1))
    tot["p50_ms"] = max(tot["p50_ms"], ms(re.search(r'^\s+50%\s+(\S+)', t, re.M).group(1)))
    tot["p99_ms"] = max(tot["p99_ms"], ms(re.search(r'^\s+99%\s+(\S+)', t, re.M).group(1)))
    m = re.search(r'Non-2xx or 3xx responses:\s+(\d+)', t)
    tot["non_2xx"] += int(m.group(1)) if m else 0
    m = re.search(r'Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)', t)
    tot["socket_errors"] += sum(map(int, m.groups())) if m else 0
tot["req_per_s"] = round(tot["req_per_s"], 1)
print(json.dumps(tot))
PY
}
lc_parse() {
    python3 - "$@" <<'PY'
import json, sys
tot = {"dossiers": 0, "dossiers_per_s": 0.0, "requests": 0, "non_2xx": 0,
       "p50_ms": 0.0, "p99_ms": 0.0}
for f in sys.argv[1:]:
    w = open(f).read().split()
    kv = {w[i]: w[i + 1] for i in range(len(w) - 1)}
    tot["dossiers"] += int(kv["dossiers"])
    tot["dossiers_per_s"] += float(kv["dossiers_per_s"])
    tot["requests"] += int(kv["requests"])
    tot["non_2xx"] += int(kv["non2xx"])
    tot["p50_ms"] = max(tot["p50_ms"], float(kv["p50_ms"]))
    tot["p99_ms"] = max(tot["p99_ms"], float(kv["p99_ms"]))
tot["dossiers_per_s"] = round(tot["dossiers_per_s"], 1)
print(json.dumps(tot))
PY
}

# tokens PORT: log the bench users in on the server at PORT (its database)
tokens() {
    LP=$1
    TOKEN=$(login nguyenvanduc congdan123! | jget 'd["token"]')
    UNIT=$(curl -fsS -H "Authorization: Bearer $TOKEN" \
        "http://127.0.0.1:$LP/api/v1/units?q=ba%20dinh" | python3 -c '
import json, sys
d = json.load(sys.stdin)
items = d if isinstance(d, list) else d.get("items", d.get("units", []))
print(next(u["id"] for u in items if u.get("code") == "H26.00004"))')
    SPEC_JSON=$(login badinh.chuyenvien chuyenvien123!)
    export LC_CITIZEN=$TOKEN LC_UNIT=$UNIT
    LC_DESK=$(login badinh.tiepnhan tiepnhan123! | jget 'd["token"]')
    LC_LEADER=$(login badinh.lanhdao lanhdao123! | jget 'd["token"]')
    LC_SPEC=$(jget 'd["token"]' <<<"$SPEC_JSON")
    LC_SPEC_ID=$(jget 'd["account"]["id"]' <<<"$SPEC_JSON")
    export LC_DESK LC_LEADER LC_SPEC LC_SPEC_ID
    export BENCH_TOKEN=$TOKEN BENCH_UNIT=$UNIT
}

# SQLite in the same run (same demo data, same load on the machine)
P0=$(free_port)
"$BIN" init --db "$T/s.db" --demo >"$T/init_s.log" 2>&1
start "$P0" "$T/s.db"
S_PID=${PIDS[-1]}
tokens "$P0"
echo "bench-pg: SQLite baseline, intake (wrk -t2 -c$CONNS -d${SECS}s)"
wrk -t2 -c"$CONNS" -d"${SECS}s" --latency -s bench/intake.lua \
    "http://127.0.0.1:$P0" >"$T/i0.txt"
I0=$(wrk_parse "$T/i0.txt")
echo "bench-pg: SQLite baseline, lifecycle ($CONNS clients)"
build/lifecycle_client 127.0.0.1 "$P0" "$SECS" "$CONNS" >"$T/l0.txt"
L0=$(lc_parse "$T/l0.txt")
kill "$S_PID"; wait "$S_PID" 2>/dev/null || true

start "$P1"
tokens "$P1"
HALF=$((CONNS / 2))

echo "bench-pg: intake, 1 instance (wrk -t2 -c$CONNS -d${SECS}s)"
wrk -t2 -c"$CONNS" -d"${SECS}s" --latency -s bench/intake.lua \
    "http://127.0.0.1:$P1" >"$T/i1.txt"
I1=$(wrk_parse "$T/i1.txt")
echo "bench-pg: lifecycle, 1 instance ($CONNS clients)"
build/lifecycle_client 127.0.0.1 "$P1" "$SECS" "$CONNS" >"$T/l1.txt"
L1=$(lc_parse "$T/l1.txt")

start "$P2"
echo "bench-pg: intake, 2 instances (2 x wrk -t1 -c$HALF)"
wrk -t1 -c"$HALF" -d"${SECS}s" --latency -s bench/intake.lua \
    "http://127.0.0.1:$P1" >"$T/i2a.txt" &
WA=$!
wrk -t1 -c"$HALF" -d"${SECS}s" --latency -s bench/intake.lua \
    "http://127.0.0.1:$P2" >"$T/i2b.txt"
wait "$WA"
I2=$(wrk_parse "$T/i2a.txt" "$T/i2b.txt")
echo "bench-pg: lifecycle, 2 instances (2 x $HALF clients)"
build/lifecycle_client 127.0.0.1 "$P1" "$SECS" "$HALF" >"$T/l2a.txt" &
WA=$!
build/lifecycle_client 127.0.0.1 "$P2" "$SECS" "$HALF" >"$T/l2b.txt"
wait "$WA"
L2=$(lc_parse "$T/l2a.txt" "$T/l2b.txt")
"$BIN" audit verify --db "$URL" >"$T/verify.txt" 2>&1 ||
    { echo "bench-pg: audit verify failed" >&2; cat "$T/verify.txt" >&2; exit 1; }

python3 - "$OUT" <<PY
import json, sys
res = {"date": "$(date -u +%Y-%m-%dT%H:%M:%SZ)", "server_version": "$VER",
       "secs": $SECS, "conns": $CONNS, "fsync": "$FSYNC",
       "synchronous_commit": "$SYNC", "loadavg_1m_at_start": $LOAD,
       "tool": "bench/pg.sh: wrk + bench/intake.lua, bench/lifecycle_client",
       "sqlite_same_run": {"intake": $I0, "lifecycle": $L0},
       "intake_1": $I1, "intake_2": $I2,
       "lifecycle_1": $L1, "lifecycle_2": $L2}
json.dump(res, open(sys.argv[1], "w"), indent=2)
PY
echo "bench-pg: SQLite intake $I0"
echo "bench-pg: SQLite lifecycle $L0"
echo "bench-pg: intake 1 instance $I1"
echo "bench-pg: intake 2 instances $I2"
echo "bench-pg: lifecycle 1 instance $L1"
echo "bench-pg: lifecycle 2 instances $L2"
