#!/usr/bin/env bash
# bench/writer_cost.sh - instructions the writer thread spends per dossier
# of the full lifecycle (docs/perf/lifecycle.md, round 3).
#
#   bench/writer_cost.sh [BIN] [SECONDS] [CLIENTS]
#
# Runs `BIN serve` (default build/motcua) under callgrind, collecting only
# inside writer_main (the mc-writer thread), drives it with
# bench/lifecycle_client.c (same tokens as bench/run.sh), then prints the
# writer's instructions per dossier (6 writes: create + 5 transitions) and
# the inclusive cost per call of the functions of a transition.
# Instruction counts are deterministic; only the number of writes per
# commit (group size) depends on timing. WCOST_OUT=FILE keeps the callgrind
# output (callgrind_annotate --inclusive=yes FILE).
set -euo pipefail

cd "$(dirname "$0")/.."
BIN=${1:-build/motcua}
SECS=${2:-20}
CLIENTS=${3:-8}
. bench/lib.sh
bench_setup motcua-wcost

"$BIN" init --db "$T/b.db" --demo >"$T/init.log" 2>&1
lc_client_build
cg_serve "$BIN" --toggle-collect=writer_main
lc_login
H0=$(curl -fsS "$BASE/api/v1/health")
build/lifecycle_client 127.0.0.1 "$PORT" "$SECS" "$CLIENTS" >"$T/lc.txt"
H1=$(curl -fsS "$BASE/api/v1/health")
kill -INT "$SRV_PID" 2>/dev/null || true
wait "$SRV_PID" 2>/dev/null || true
SRV_PID=""
cat "$T/lc.txt"
[ -n "${WCOST_OUT:-}" ] && cp "$T/cg.out" "$WCOST_OUT"
W=$(( $(jget 'd["writes"]' <<<"$H1") - $(jget 'd["writes"]' <<<"$H0") ))
C=$(( $(jget 'd["commits"]' <<<"$H1") - $(jget 'd["commits"]' <<<"$H0") ))
callgrind_annotate --inclusive=yes "$T/cg.out" >"$T/ann.txt" 2>/dev/null
python3 - "$T/cg.out" "$T/ann.txt" "$W" "$C" <<'PY'
import re, sys
cg, ann, w, c = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
calls = {}
cur = None
# number of calls per function, summed over call sites (cfn= / calls=)
names = {}
for line in open(cg):
    m = re.match(r'cfn=\((\d+)\)(?: (.*))?', line)
    if m:
        if m.group(2):
            names[m.group(1)] = m.group(2)
        cur = names.get(m.group(1))
        continue
    m = re.match(r'fn=\((\d+)\)(?: (.*))?', line)
    if m and m.group(2):
        names[m.group(1)] = m.group(2)
    m = re.match(r'calls=(\d+)', line)
    if m and cur:
        calls[cur] = calls.get(cur, 0) + int(m.group(1))
        cur = None
incl = {}
total = 0
for line in open(ann):
    m = re.match(r'\s*([\d,]+) \(\s*[\d.]+%\)\s+\S+:(\S+)', line)
    if m:
        v = int(m.group(1).replace(',', ''))
        incl.setdefault(m.group(2), v)
m = re.search(r'([\d,]+) \(100.0%\)\s+PROGRAM TOTALS', open(ann).read())
total = int(m.group(1).replace(',', '')) if m else 0
d = w / 6.0
print(f"writes {w} commits {c} writes_per_commit {w / max(c, 1):.2f}")
print(f"writer instructions {total} per dossier {total / d:.0f} per write {total / w:.0f}")
for f in ["run_one", "mc_dossier_create", "mc_dossier_transition",
          "mc_q_dossier_get", "mc_q_dossier_update", "mc_q_dossier_event",
          "mc_q_step_open", "mc_q_step_close", "mc_q_step_set_holder",
          "mc_q_step_advance", "mc_audit_append", "mc_audit_append_text",
          "mc_evaluation_on_transition", "mc_q_eval_rollup_add",
          "mc_discipline_on_transition", "mc_q_code_next",
          "mc_dossier_compute_due", "mc_db_savepoint", "mc_db_release",
          "mc_db_begin", "mc_db_commit", "mc_q_eval_rollup_flush"]:
    if f in incl:
        n = calls.get(f, 0)
        per = incl[f] / n if n else 0
        print(f"  {f:32s} calls {n:7d} incl {incl[f]:13d} per call {per:9.0f} per dossier {incl[f] / d:9.0f}")
PY
