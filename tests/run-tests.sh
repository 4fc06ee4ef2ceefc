#!/usr/bin/env bash
# run-tests.sh - every test of motcua, summed: the cmocka unit tests of the
# normal and sanitizer builds, the API suite against both binaries, and the
# end-to-end suite when there is one. Run from the repository root after
# `make all unit && make asan`. Ends with the line "N passed, M failed";
# exits 1 when anything failed or a runner crashed.
set -u

cd "$(dirname "$0")/.." || exit 1
unset CMOCKA_MESSAGE_OUTPUT

passed=0
failed=0
crashed=0
log_dir="build/test-logs"; rm -rf "$log_dir"; mkdir -p "$log_dir"

note() { printf '%s\n' "$*"; }

# LeakSanitizer: fontconfig keeps its configuration cache until exit on
# purpose (libfontconfig frames only); our own leaks still count.
if [ -z "${LSAN_OPTIONS:-}" ]; then
    printf 'leak:libfontconfig.so\n' >"$log_dir/lsan.supp"
    export LSAN_OPTIONS="suppressions=$log_dir/lsan.supp:print_suppressions=0"
fi

# cmocka binary: sum "[  PASSED  ] N test(s)." / "[  FAILED  ] N test(s)"
run_cmocka() {
    local bin=$1 out rc p f
    out="$log_dir/$(echo "$bin" | tr '/' '_').log"
    SECONDS=0
    "$bin" >"$out" 2>&1
    rc=$?
    [ "$SECONDS" -lt 60 ] || note "  ($bin took ${SECONDS}s)"
    p=$(sed -n 's/^\[  PASSED  \] \([0-9][0-9]*\) test(s)\..*/\1/p' "$out" |
        awk '{s += $1} END {print s + 0}')
    f=$(sed -n 's/^\[  FAILED  \] \([0-9][0-9]*\) test(s).*/\1/p' "$out" |
        awk '{s += $1} END {print s + 0}')
    passed=$((passed + p))
    failed=$((failed + f))
    if ! grep -q '^\[  PASSED  \]\|^\[  FAILED  \] [0-9]' "$out" ||
        { [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; } || [ "$rc" -gt 128 ]; then
        crashed=$((crashed + 1))
        note "CRASH $bin (exit $rc), output in $out"
        tail -n 20 "$out" | sed 's/^/    /'
    elif [ "$f" -gt 0 ]; then
        note "FAIL $bin: $f failed, $p passed"
        grep '^\[  FAILED  \] [^0-9]' "$out" | sed 's/^/    /'
        grep -i 'error\|fail' "$out" | grep -v '^\[' | head -n 20 |
            sed 's/^/    /'
    else
        note "ok $bin: $p passed"
    fi
}

# a runner whose last line is "N passed, M failed"
run_summary() {
    local name=$1 out rc last p f
    shift
    out="$log_dir/$name.log"
    "$@" >"$out" 2>&1
    rc=$?
    last=$(tail -n 1 "$out")
    if [[ $last =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
        p=${BASH_REMATCH[1]}
        f=${BASH_REMATCH[2]}
        passed=$((passed + p))
        failed=$((failed + f))
        if [ "$f" -gt 0 ] || [ "$rc" -ne 0 ]; then
            note "FAIL $name: $f failed, $p passed (exit $rc)"
            grep -v '^ok ' "$out" | sed 's/^/    /'
            if [ "$f" -eq 0 ]; then
                crashed=$((crashed + 1))
            fi
        else
            note "ok $name: $p passed"
        fi
    else
        crashed=$((crashed + 1))
        note "CRASH $name (exit $rc): no summary line, output in $out"
        tail -n 20 "$out" | sed 's/^/    /'
    fi
}

nunit=0
for dir in build/tests build-asan/tests; do
    for t in "$dir"/test_*; do
        [ -f "$t" ] && [ -x "$t" ] || continue
        nunit=$((nunit + 1))
        run_cmocka "$t"
    done
done
if [ "$nunit" -eq 0 ]; then
    note "CRASH: no unit test binaries in build/tests or build-asan/tests"
    crashed=$((crashed + 1))
fi

for bin in build/motcua build-asan/motcua; do
    if [ ! -x "$bin" ]; then
        note "CRASH: $bin is missing (run make all asan)"
        crashed=$((crashed + 1))
        continue
    fi
    name="api-$(dirname "$bin")"
    if [ "$bin" = build-asan/motcua ]; then
        ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0} \
            UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1} \
            run_summary "$name" python3 tests/api/run.py "$bin"
    else
        run_summary "$name" python3 tests/api/run.py "$bin"
    fi
done

# The same API suite against PostgreSQL 15, and two instances on one
# database, in one throw-away cluster (pg_virtualenv works as root).
if command -v pg_virtualenv >/dev/null 2>&1 &&
    [ -x /usr/lib/postgresql/15/bin/initdb ] && [ -x build/motcua ]; then
    # shellcheck disable=SC2016
    pg_virtualenv -v 15 sh -c '
        python3 tests/api/run.py build/motcua --pg >"$1/api-pg.raw" 2>&1
        echo $? >"$1/api-pg.rc"
        python3 tests/api/test_pg_concurrency.py build/motcua \
            >"$1/pg-concurrency.raw" 2>&1
        echo $? >"$1/pg-concurrency.rc"
        python3 tests/api/test_pg_migrate.py build/motcua \
            >"$1/pg-migrate.raw" 2>&1
        echo $? >"$1/pg-migrate.rc"' sh "$log_dir" \
        >"$log_dir/pg_virtualenv.log" 2>&1
    for name in api-pg pg-concurrency pg-migrate; do
        # shellcheck disable=SC2016
        run_summary "$name" sh -c 'cat "$1" 2>/dev/null; exit "$(cat "$2" \
            2>/dev/null || echo 1)"' sh "$log_dir/$name.raw" \
            "$log_dir/$name.rc"
    done
else
    note "skip api-pg: pg_virtualenv or PostgreSQL 15 is not installed"
fi

if [ -x tests/e2e/run.sh ]; then
    run_summary e2e tests/e2e/run.sh
fi

note "logs in $log_dir"
if [ "$crashed" -gt 0 ]; then
    note "$crashed runner(s) crashed"
fi
echo "$passed passed, $failed failed"
if [ "$failed" -gt 0 ] || [ "$crashed" -gt 0 ]; then
    exit 1
fi
exit 0
