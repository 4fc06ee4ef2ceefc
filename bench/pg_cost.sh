#!/usr/bin/env bash
# bench/pg_cost.sh - what one lifecycle dossier costs on PostgreSQL, in
# figures that do not move with the machine's load: statements and round
# trips per dossier (pg_stat_statements), writes per commit, PostgreSQL
# execution time and the CPU time of motcua and of the PostgreSQL processes
# per dossier. Throughput is printed too, but on a shared machine only the
# counts compare across runs.
#
#   bench/pg_cost.sh [LABEL=BIN ...]     default: cur=build/motcua
#
# Each LABEL=BIN (repeat them to alternate two binaries, e.g. old=A new=B
# old=A new=B) gets its own database in one throw-away PostgreSQL 15
# cluster (pg_virtualenv with pg_stat_statements preloaded): `BIN init
# --demo`, `BIN serve`, intake for PGCOST_INTAKE_SECS (default 10; wrk and
# bench/intake.lua, as bench/pg.sh does before its lifecycle run), then the
# counters are reset and bench/lifecycle_client runs PGCOST_SECS (default
# 10) with PGCOST_CONNS clients (default 64). PGCOST_TOP=N also prints the
# N statements costing the most per dossier. Round trips are statements
# minus BEGIN, SAVEPOINT, RELEASE and the audit-chain lock, which pg.c
# sends with the next statement.
set -euo pipefail

cd "$(dirname "$0")/.."
export MOTCUA_FAST_HASH=1

if [ "${1:-}" != --inner ]; then
    for t in wrk curl python3 cc pg_virtualenv; do
        command -v "$t" >/dev/null 2>&1 ||
            { echo "pg_cost: $t missing (scripts/install-deps.sh bench test)" >&2; exit 1; }
    done
    [ $# -gt 0 ] || set -- cur=build/motcua
    for spec in "$@"; do
        [ -x "${spec#*=}" ] || { echo "pg_cost: ${spec#*=} is not executable" >&2; exit 1; }
    done
    . bench/lib.sh
    lc_client_build
    exec pg_virtualenv -v 15 -o shared_preload_libraries=pg_stat_statements \
        -o pg_stat_statements.track=top bash "$0" --inner "$@"
fi
shift

# ---- inner: inside pg_virtualenv (PG* variables point at the cluster) ----
T=$(mktemp -d /tmp/motcua-pgcost.XXXXXX)
SRV_PID=""
cleanup() {
    [ -n "$SRV_PID" ] && kill "$SRV_PID" 2>/dev/null && wait "$SRV_PID" 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT
. bench/lib.sh
SECS=${PGCOST_SECS:-10}
CONNS=${PGCOST_CONNS:-64}
ISECS=${PGCOST_INTAKE_SECS:-10}

# cpu PID: CPU seconds of process PID (all its threads) and of every
# postgres process, as "motcua postgres"
cpu() {
    python3 - "$1" <<'PY'
import os, sys
tck = os.sysconf("SC_CLK_TCK")
def cpu(pid):
    s = open("/proc/%s/stat" % pid).read()
    f = s[s.rfind(")") + 2:].split()
    return s[s.find("(") + 1:s.rfind(")")], (int(f[11]) + int(f[12])) / tck
pg = 0.0
for p in os.listdir("/proc"):
    if p.isdigit():
        try:
            name, c = cpu(p)
        except OSError:
            continue
        pg += c if name == "postgres" else 0
print(cpu(sys.argv[1])[1], pg)
PY
}

n=0
for spec in "$@"; do
    L=${spec%%=*} BIN=${spec#*=}
    n=$((n + 1))
    DB=motcua_cost_$n
    psql -X -q -d postgres -v ON_ERROR_STOP=1 -c "CREATE DATABASE $DB"
    URL=$(python3 -c '
import os, sys, urllib.parse
q = {k: os.environ[v] for k, v in (("host", "PGHOST"), ("port", "PGPORT"),
                                    ("user", "PGUSER")) if os.environ.get(v)}
print("postgresql:///%s?%s" % (sys.argv[1], urllib.parse.urlencode(q)))' "$DB")
    "$BIN" init --db "$URL" --demo >"$T/init.$n.log" 2>&1
    psql -X -q -d "$DB" -c "CREATE EXTENSION pg_stat_statements"
    PORT=$(free_port)
    BASE="http://127.0.0.1:$PORT"
    "$BIN" serve --db "$URL" --listen "127.0.0.1:$PORT" --files "$T/files" \
        >"$T/serve.$n.log" 2>&1 &
    SRV_PID=$!
    for _ in $(seq 200); do
        curl -fs "$BASE/api/v1/health" >/dev/null 2>&1 && break
        sleep 0.1
    done
    lc_login
    if [ "$ISECS" != 0 ]; then
        BENCH_TOKEN=$LC_CITIZEN BENCH_UNIT=$LC_UNIT wrk -t2 -c"$CONNS" \
            -d"${ISECS}s" -s bench/intake.lua "$BASE" >"$T/intake.$n.txt"
    fi
    psql -X -q -d "$DB" -c "SELECT pg_stat_statements_reset()" >/dev/null
    C0=$(cpu "$SRV_PID")
    build/lifecycle_client 127.0.0.1 "$PORT" "$SECS" "$CONNS" >"$T/lc.$n.txt"
    C1=$(cpu "$SRV_PID")
    psql -X -A -t -F $'\t' -d "$DB" -c "SELECT s.calls, s.total_exec_time,
        regexp_replace(s.query, '\s+', ' ', 'g') FROM pg_stat_statements s
        JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = '$DB'
        AND s.query NOT LIKE '%pg_stat_statements%'" >"$T/stmts.$n.tsv"
    kill "$SRV_PID"
    wait "$SRV_PID" 2>/dev/null || true
    SRV_PID=""
    python3 - "$L" "$T/lc.$n.txt" "$T/stmts.$n.tsv" "$C0" "$C1" \
        "${PGCOST_TOP:-0}" <<'PY'
import sys
label, lcf, sf, c0, c1, top = sys.argv[1:7]
w = open(lcf).read().split()
kv = {w[i]: w[i + 1] for i in range(len(w) - 1)}
n = int(kv["dossiers"])
queued = ("BEGIN", "SAVEPOINT w", "RELEASE SAVEPOINT w")
rows, calls, trips, ms, commits = [], 0, 0, 0.0, 0
for line in open(sf):
    f = line.rstrip("\n").split("\t")
    if len(f) < 3:
        continue
    c, t, q = int(f[0]), float(f[1]), f[2]
    calls += c
    ms += t
    if q not in queued and "pg_advisory_xact_lock" not in q:
        trips += c
    if q == "COMMIT":
        commits = c
    rows.append((t / n, c / n, q))
(m0, p0), (m1, p1) = (map(float, c0.split()), map(float, c1.split()))
print("%s: %s dossiers/s (%d dossiers, p50 %s ms); per dossier: %.1f "
      "statements, %.1f round trips, PostgreSQL execution %.2f ms, CPU "
      "motcua %.2f ms + postgres %.2f ms; %.1f writes per commit" %
      (label, kv["dossiers_per_s"], n, kv["p50_ms"], calls / n, trips / n,
       ms / n, (m1 - m0) * 1000 / n, (p1 - p0) * 1000 / n,
       6 * n / commits if commits else 0))
for t, c, q in sorted(rows, reverse=True)[:int(top)]:
    print("   %6.2f calls %7.3f ms  %s" % (c, t, q[:110]))
PY
done
