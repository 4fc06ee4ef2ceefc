#!/bin/sh
# Install the Debian 12 packages motcua needs to build, run and test.
# Idempotent: installs only what is missing. Run as root (or via sudo).
#   scripts/install-deps.sh          build + run
#   scripts/install-deps.sh test     + test tools (cmocka, poppler, browser)
#   scripts/install-deps.sh bench    + benchmark tools (wrk, nginx)
set -eu

PKGS="build-essential pkg-config xxd ca-certificates
libmicrohttpd-dev libjansson-dev libsqlite3-dev sqlite3 libpq-dev
libssl-dev openssl libargon2-dev libutf8proc-dev
libcairo2-dev libpango1.0-dev libqrencode-dev libxlsxwriter-dev
fonts-liberation2 fonts-noto-core fonts-dejavu-core"
TEST_PKGS="libcmocka-dev python3 curl poppler-utils zbar-tools chromium
postgresql-15 postgresql-common"
BENCH_PKGS="wrk apache2-utils nginx-light valgrind hyperfine"

want="$PKGS"
for arg in "$@"; do
    case "$arg" in
    test) want="$want $TEST_PKGS" ;;
    bench) want="$want $TEST_PKGS $BENCH_PKGS" ;;
    esac
done

missing=""
for p in $want; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
        grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
# Node.js >= 20 and npm (the web UI's chart library, the browser tests'
# playwright-core): use the machine's own when it has them, else Debian's.
if ! command -v node >/dev/null 2>&1; then
    missing="$missing nodejs npm"
fi
missing=$(echo "$missing" | xargs)
if [ -z "$missing" ]; then
    exit 0
fi
echo "install-deps: installing $missing"
if [ "$(id -u)" != 0 ]; then
    SUDO=sudo
else
    SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
