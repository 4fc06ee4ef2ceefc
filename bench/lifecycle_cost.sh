#!/usr/bin/env bash
# bench/lifecycle_cost.sh - instructions the whole server spends per
# dossier of the full lifecycle, every thread counted (docs/perf/lifecycle.md,
# round 5).
#
#   bench/lifecycle_cost.sh [BIN] [DOSSIERS_PER_CLIENT] [CLIENTS]
#
# Runs `BIN serve` (default build/motcua) on a fresh `init --demo` database
# under callgrind, logs in like bench/run.sh, zeroes the counters, carries
# CLIENTS x DOSSIERS_PER_CLIENT dossiers through the lifecycle with
# bench/lifecycle_client.c (LC_MAX), dumps, and prints the instructions
# per dossier: all threads, the mc-writer thread, the event threads, and
# the inclusive cost per call of the main functions of each request type.
# Callgrind counts user-space instructions only (not the kernel's TCP and
# futex work). Per-call costs are deterministic; the per-dossier total
# also depends a little on how many writes share a commit and how many
# connections an event thread finds ready per wake-up (printed).
# LCOST_OUT=FILE keeps the callgrind output.
set -euo pipefail

cd "$(dirname "$0")/.."
BIN=${1:-build/motcua}
PER=${2:-50}
CLIENTS=${3:-4}
. bench/lib.sh
bench_setup motcua-lcost

"$BIN" init --db "$T/b.db" --demo >"$T/init.log" 2>&1
lc_client_build
cg_serve "$BIN" --separate-threads=yes
lc_login
# warm-up: caches, statement caches, the procedure memo
LC_MAX=2 build/lifecycle_client 127.0.0.1 "$PORT" 600 "$CLIENTS" >/dev/null
H0=$(curl -fsS "$BASE/api/v1/health")
callgrind_control -z "$SRV_PID" >/dev/null
LC_MAX=$PER build/lifecycle_client 127.0.0.1 "$PORT" 3600 "$CLIENTS" >"$T/lc.txt"
callgrind_control -d "$SRV_PID" >/dev/null
H1=$(curl -fsS "$BASE/api/v1/health")
# under valgrind a SIGINT is sometimes not seen by sigwait: send it again
for _ in $(seq 60); do
    kill -INT "$SRV_PID" 2>/dev/null || break
    sleep 1
done
wait "$SRV_PID" 2>/dev/null || true
SRV_PID=""
cat "$T/lc.txt"
if [ -n "${LCOST_OUT:-}" ]; then
    mkdir -p "$LCOST_OUT"
    cp "$T"/cg.out.* "$LCOST_OUT"/
fi
W=$(( $(jget 'd["writes"]' <<<"$H1") - $(jget 'd["writes"]' <<<"$H0") ))
C=$(( $(jget 'd["commits"]' <<<"$H1") - $(jget 'd["commits"]' <<<"$H0") ))
python3 - "$T" "$W" "$C" "$T/lc.txt" <<'PY'
import glob, re, subprocess, sys
t, w, c = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
kv = open(sys.argv[4]).read().split()
kv = dict(zip(kv[0::2], kv[1::2]))
dossiers = int(kv["dossiers"])
# only the dump made by callgrind_control -d (part 1), one file per thread
files = [f for f in glob.glob(t + "/cg.out.*") if re.search(r"\.1-\d+$", f)]
tot = {"all": 0, "writer": 0, "event": 0, "other": 0}
incl = {}
calls = {}
for f in files:
    txt = open(f).read()
    m = re.search(r"^summary: (\d+)", txt, re.M) or re.search(r"^totals: (\d+)", txt, re.M)
    n = int(m.group(1)) if m else 0
    tot["all"] += n
    ann = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--auto=no",
                          "--threshold=100", f],
                         capture_output=True, text=True).stdout
    kind = "other"
    if re.search(r":writer_main\b", ann):
        kind = "writer"
    elif re.search(r":access_handler\b", ann) or re.search(r"MHD_", ann):
        kind = "event"
    tot[kind] += n
    seen = set()
    for line in ann.splitlines():
        m = re.match(r"\s*([\d,]+) \(\s*[\d.]+%\)\s+\S+:(\S+)", line)
        if m and m.group(2) not in seen:
            seen.add(m.group(2))
            v = int(m.group(1).replace(",", ""))
            incl[m.group(2)] = incl.get(m.group(2), 0) + v
    names, cur = {}, None
    for line in txt.splitlines():
        m = re.match(r"cfn=\((\d+)\)(?: (.*))?", line)
        if m:
            if m.group(2):
                names[m.group(1)] = m.group(2)
            cur = names.get(m.group(1))
            continue
        m = re.match(r"fn=\((\d+)\)(?: (.*))?", line)
        if m and m.group(2):
            names[m.group(1)] = m.group(2)
        m = re.match(r"calls=(\d+)", line)
        if m and cur:
            calls[cur] = calls.get(cur, 0) + int(m.group(1))
            cur = None
print(f"dossiers {dossiers} writes {w} commits {c} writes_per_commit {w / max(c, 1):.2f}")
for k in ("all", "event", "writer", "other"):
    print(f"instructions per dossier, {k:6s} {tot[k] / dossiers:11.0f}")
# The writer's cost per commit (BEGIN, COMMIT with its WAL frames, the
# rollup upserts) is shared by the writes of a group, whose size follows
# from timing: the writer's own work per dossier leaves it out.
pc = sum(incl.get(f, 0) for f in ("mc_db_begin", "mc_db_commit",
                                  "mc_q_eval_rollup_batch_flush"))
print(f"instructions per dossier, writer without BEGIN/COMMIT/rollup flush "
      f"{(tot['writer'] - pc) / dossiers:.0f}; per commit {pc / max(c, 1):.0f}")
for f in ["access_handler", "send_response", "completed", "req_new",
          "mc_dispatch", "mc_auth_resolve", "mc_h_dossiers_create",
          "mc_h_dossier_transition", "mc_dossier_create_check",
          "mc_http_write_resume", "create_render", "transition_render",
          "mc_dossier_json", "mc_dossier_allowed_actions", "mc_json_dump",
          "mc_json_parse_object", "write_done",
          "writer_main", "run_one", "mc_dossier_create", "mc_dossier_transition",
          "mc_q_dossier_get", "mc_q_dossier_update", "mc_q_dossier_event",
          "mc_q_step_open", "mc_q_step_close", "mc_q_step_set_holder",
          "mc_audit_append", "mc_audit_append_text", "mc_evaluation_on_transition",
          "mc_discipline_on_transition", "mc_q_code_next",
          "mc_dossier_compute_due", "mc_db_begin", "mc_db_commit",
          "mc_q_eval_rollup_batch_flush", "mc_db_savepoint", "mc_db_release",
          "malloc", "free"]:
    if f in incl:
        n = calls.get(f, 0)
        per = incl[f] / n if n else 0
        print(f"  {f:30s} calls/dossier {n / dossiers:6.2f} per call {per:9.0f} per dossier {incl[f] / dossiers:9.0f}")
PY
