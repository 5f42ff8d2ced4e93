#!/usr/bin/env bash
# Installs what the project needs on a fresh Debian 12 machine with Swift: the C libraries the
# engine and node link against, with --test-peers the Python packages the tests use as
# independent peers (into ./.venv) and the tools the tests drive (openssl, curl, gdb-multiarch, postgresql-15), and with --bench-peers what scripts/bench.sh compares against
# (qemu-user: qemu-riscv32/qemu-riscv64 for the unseen corpus; wrk and h2load for node-load). Idempotent: it installs only what
# is missing or changed.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(libelf-dev libsecp256k1-dev libgmp-dev libssl-dev pkg-config)

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
apt_install() {
    echo "bootstrap: installing $*"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
}

missing=()
for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
TEST_PEERS=0 BENCH_PEERS=0
for arg in "$@"; do
    case "$arg" in
        --test-peers) TEST_PEERS=1 ;;
        --bench-peers) BENCH_PEERS=1 ;;
        *) echo "bootstrap: unknown option $arg" >&2; exit 2 ;;
    esac
done
if [ "$TEST_PEERS" = 1 ]; then  # TLS tests: a certificate made with openssl, requests with curl;
    # the zkvm debug test: gdb-multiarch (riscv:rv32) against `zkvm debug --gdb`; the PostgreSQL
    # store's tests: a throwaway postgresql-15 server (scripts/with-postgres.sh)
    for p in openssl curl gdb-multiarch postgresql-15; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
fi
if [ "$BENCH_PEERS" = 1 ]; then
    # qemu-user: the unseen corpus's peer; wrk and h2load (nghttp2-client): node-load's C load
    # generators (the wrk replay and GetResult rows; without them those rows are missing).
    # postgresql-15: the PostgreSQL rows of node-load (one node and two nodes on one database).
    for p in qemu-user wrk nghttp2-client postgresql-15; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
fi

[ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"

command -v swift >/dev/null || { echo "bootstrap: swift is not on PATH (Swift 6.1+ is required)" >&2; exit 1; }

if [ "$TEST_PEERS" = 1 ]; then
    command -v python3 >/dev/null || apt_install python3 python3-venv
    if [ ! -x .venv/bin/python3 ]; then
        python3 -m venv .venv 2>/dev/null || { apt_install python3-venv; python3 -m venv .venv; }
    fi
    # Reinstall only when the requirements changed since the last successful install.
    stamp=.venv/.requirements.sha256
    want=$(cat scripts/test-requirements.txt devchain/requirements.txt | sha256sum | cut -d' ' -f1)
    if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
        echo "bootstrap: installing Python test peers into .venv"
        .venv/bin/pip install --quiet --disable-pip-version-check -r scripts/test-requirements.txt
        echo "$want" > "$stamp"
    fi
fi
