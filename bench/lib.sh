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
    for _ in $(seq 600); do
        curl -fs "$BASE/api/v1/health" >/dev/null 2>&1 && return 0
        sleep 0.2
    done
    echo "bench: the server under callgrind did not answer" >&2
    return 1
}
