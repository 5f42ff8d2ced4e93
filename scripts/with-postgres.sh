#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL server for the tests that need one:
#   scripts/with-postgres.sh swift test
# It makes a new cluster in a temporary folder (initdb refuses root, so it runs as the postgres
# user), serves it on a free port of 127.0.0.1 only, with fsync off (test data need not survive
# a crash), exports its URL as ZKVM_TEST_DATABASE_URL and ZKVM_REQUIRE_POSTGRES=1 (the tests that
# need PostgreSQL then fail instead of skipping; ZKVM_TEST_DATABASE_SOCKET_URL is the same server
# through its Unix socket), runs the command, then stops the server and
# deletes the folder, whatever the command's outcome. With ZKVM_TEST_DATABASE_URL already set it
# only runs the command. Needs postgresql-15 (scripts/bootstrap.sh --test-peers installs it).
set -euo pipefail

if [ -n "${ZKVM_TEST_DATABASE_URL:-}" ]; then
    "$@"
    exit
fi

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bin" ]; then
    echo "with-postgres: no PostgreSQL server found under /usr/lib/postgresql (apt-get install postgresql-15)" >&2
    exit 1
fi
as_postgres() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

dir=$(mktemp -d /tmp/zkvm-postgres.XXXXXX)
cleanup() {
    as_postgres "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
}
trap cleanup EXIT
if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; fi

as_postgres "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400" \
    start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }

export ZKVM_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
# The same server through its Unix socket (libpq's host=<folder> form).
export ZKVM_TEST_DATABASE_SOCKET_URL="postgres://postgres@/postgres?host=$dir&port=$port"
export ZKVM_REQUIRE_POSTGRES=1
echo "with-postgres: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($dir)" >&2
"$@"
