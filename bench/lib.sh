# bench/lib.sh - shell helpers shared by the bench scripts (sourced, not
# run). The caller sets BASE (http://127.0.0.1:PORT of a running server)
# before login and lc_login.

# free_port: print a TCP port on 127.0.0.1 that nothing listens on.
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# jget EXPR: print EXPR evaluated with d = the JSON document on stdin.
jget() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }

# login USER PASSWORD: print the answer of POST $BASE/api/v1/sessions.
login() {
    curl -fsS -H 'Content-Type: application/json' \
        -d "{\"username\":\"$1\",\"password\":\"$2\"}" "$BASE/api/v1/sessions"
}

# lc_client_build: compile build/lifecycle_client unless it is up to date.
lc_client_build() {
    [ -x build/lifecycle_client ] && [ build/lifecycle_client -nt bench/lifecycle_client.c ] ||
        cc -std=gnu11 -O2 -o build/lifecycle_client bench/lifecycle_client.c -pthread
}

# lc_login: log the demo's Ba Đình desk, specialist and leader and a
# citizen in on $BASE and export what bench/lifecycle_client.c reads
# (LC_CITIZEN, LC_DESK, LC_LEADER, LC_SPEC, LC_SPEC_ID, LC_UNIT).
lc_login() {
    local spec
    LC_CITIZEN=$(login nguyenvanduc congdan123! | jget 'd["token"]')
    LC_UNIT=$(curl -fsS -H "Authorization: Bearer $LC_CITIZEN" "$BASE/api/v1/units?q=ba%20dinh" |
        python3 -c '
import json, sys
d = json.load(sys.stdin)
items = d if isinstance(d, list) else d.get("items", d.get("units", []))
print(next(u["id"] for u in items if u.get("code") == "H26.00004"))')
    spec=$(login badinh.chuyenvien chuyenvien123!)
    LC_SPEC=$(jget 'd["token"]' <<<"$spec")
    LC_SPEC_ID=$(jget 'd["account"]["id"]' <<<"$spec")
    LC_DESK=$(login badinh.tiepnhan tiepnhan123! | jget 'd["token"]')
    LC_LEADER=$(login badinh.lanhdao lanhdao123! | jget 'd["token"]')
    export LC_CITIZEN LC_UNIT LC_SPEC LC_SPEC_ID LC_DESK LC_LEADER
}

# ticks PID [TASK-NAME]: "utime stime" (clock ticks) of the process, or of
# its thread of that name ("0 0" when there is none)
ticks() {
    if [ $# -eq 1 ]; then
        awk '{ sub(/^.*\) /, ""); print $12, $13 }' "/proc/$1/stat"
        return
    fi
    local f
    for f in /proc/"$1"/task/*; do
        if [ "$(cat "$f/comm")" = "$2" ]; then
            awk '{ sub(/^.*\) /, ""); print $12, $13 }' "$f/stat"
            return
        fi
    done
    echo 0 0
}

# bench_setup PREFIX: a temporary directory $T (/tmp/PREFIX.XXXXXX) that
# is removed on exit, after stopping the server whose pid is in $SRV_PID;
# a free $PORT and its $BASE. MOTCUA_FAST_HASH=1 for quick logins.
bench_cleanup() {
    [ -n "${SRV_PID:-}" ] && kill "$SRV_PID" 2>/dev/null && wait "$SRV_PID" 2>/dev/null
    rm -rf "$T"
}
bench_setup() {
    T=$(mktemp -d "/tmp/$1.XXXXXX")
    SRV_PID=""
    trap bench_cleanup EXIT
    export MOTCUA_FAST_HASH=1
    PORT=$(free_port)
    BASE="http://127.0.0.1:$PORT"
}

# cg_serve BIN [VALGRIND_OPTION...]: `BIN serve` on $T/b.db at $PORT under
# callgrind (output $T/cg.out, the extra options given), its pid in
# $SRV_PID; returns once /api/v1/health answers (valgrind is slow to start).
cg_serve() {
    local bin=$1
    shift
    valgrind --tool=callgrind "$@" --callgrind-out-file="$T/cg.out" \
        "$bin" serve --db "$T/b.db" --listen "127.0.0.1:$PORT" \
        >"$T/serve.log" 2>&1 &
    SRV_PID=$!
    wait_health 1200 && return 0
    echo "bench: the server under callgrind did not answer" >&2
    return 1
}

# wait_health [TRIES]: until $BASE/api/v1/health answers (0.1 s apart,
# 100 tries by default); 1 when it never did.
wait_health() {
    for _ in $(seq "${1:-100}"); do
        curl -fs "$BASE/api/v1/health" >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    return 1
}

# bulk_dossiers DB N: N returned dossiers of Phường Ba Đình (H26.00004,
# procedure 1.001193) inserted by one SQL statement, for the reads and
# the lifecycle at scale (bench section 2, queue_cpu.sh).
bulk_dossiers() {
    sqlite3 "$1" <<SQL
PRAGMA synchronous=OFF;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $2),
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
}
