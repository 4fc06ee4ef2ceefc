#!/usr/bin/env bash
# run.sh - the web UI's end-to-end tests: a fresh demo database served by
# build/motcua with --test-clock, driven by playwright-core and Debian's
# chromium (no browser download). Run from anywhere; needs node, npm and
# /usr/bin/chromium (or E2E_CHROMIUM). Prints one line per test and ends
# with "N passed, M failed"; exits 1 when a test failed. Screenshots of
# failing pages go to tests/e2e/artifacts/.
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=${MOTCUA_BIN:-$root/build/motcua}
chromium=${E2E_CHROMIUM:-/usr/bin/chromium}

fail_setup() {
    echo "FAIL setup: $*"
    echo "0 passed, 1 failed"
    exit 1
}

[ -x "$bin" ] || fail_setup "$bin is missing (run make)"
[ -x "$chromium" ] || fail_setup "$chromium is missing (apt-get install chromium)"
command -v node >/dev/null || fail_setup "node is missing (apt-get install nodejs npm)"

if [ ! -d "$here/node_modules/playwright-core" ]; then
    (cd "$here" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund >/dev/null 2>&1) ||
        fail_setup "npm ci failed in tests/e2e"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/motcua-e2e.XXXXXX")
pid=""
cleanup() {
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null
        for _ in $(seq 1 100); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    fi
    if [ "${E2E_KEEP:-0}" = 1 ]; then
        echo "e2e: files kept in $tmp" >&2
    else
        rm -rf "$tmp"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export MOTCUA_FAST_HASH=1
if ! "$bin" init --db "$tmp/e2e.db" --demo >"$tmp/init.out" 2>"$tmp/init.err"; then
    fail_setup "motcua init --demo: $(tail -n 5 "$tmp/init.err" | tr '\n' ' ')"
fi

port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();});')
[ -n "$port" ] || fail_setup "no free port"

"$bin" serve --db "$tmp/e2e.db" --listen "127.0.0.1:$port" --test-clock \
    --sweep-interval 1 --web "$root/web" --files "$tmp/files" >"$tmp/serve.out" 2>"$tmp/serve.err" &
pid=$!

rm -rf "$here/artifacts"
E2E_BASE="http://127.0.0.1:$port" E2E_INIT_OUT="$tmp/init.out" \
    E2E_ARTIFACTS="$here/artifacts" E2E_CHROMIUM="$chromium" TMPDIR="$tmp" \
    node "$here/e2e.mjs"
rc=$?
if [ "$rc" -ne 0 ]; then
    mkdir -p "$here/artifacts"
    cp "$tmp/serve.err" "$here/artifacts/serve.stderr" 2>/dev/null
fi
# the last line printed stays "N passed, M failed"
exit "$rc"
