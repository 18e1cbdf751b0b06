#!/usr/bin/env bash
# Runs every test of Qingshan: on SQLite always, and on PostgreSQL too.
#
# If QINGSHAN_TEST_POSTGRES_URL is set, the PostgreSQL suites use that server. Otherwise, when PostgreSQL's server
# programs are installed (Debian: apt-get install postgresql), a throwaway cluster is started on a free local port for
# the run and removed afterwards. Extra arguments go to `swift test` (e.g. --filter StoreTests).
set -euo pipefail
cd "$(dirname "$0")/.."

cleanup() { :; }
trap 'cleanup' EXIT

if [ -z "${QINGSHAN_TEST_POSTGRES_URL:-}" ]; then
  pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$pgbin" ] && [ -x "$pgbin/initdb" ]; then
    pgdata=$(mktemp -d /tmp/qingshan-pg.XXXXXX)
    # Below the ephemeral range (32768-60999, where outgoing connections take their ports) and not a port something
    # listens on; pg_ctl is retried on another port if the one picked is taken meanwhile.
    pick_port() {
      while :; do
        port=$(( 20000 + RANDOM % 12000 ))
        ss -ltn 2>/dev/null | awk '{ print $4 }' | grep -Eq ":$port\$" || break
      done
    }
    pick_port
    as_pg=()
    if [ "$(id -u)" = "0" ]; then
      chown postgres:postgres "$pgdata"
      as_pg=(runuser -u postgres --)
    fi
    "${as_pg[@]}" "$pgbin/initdb" -D "$pgdata" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
    cleanup() {
      "${as_pg[@]}" "$pgbin/pg_ctl" -D "$pgdata" -m fast -w stop >/dev/null 2>&1 || true
      rm -rf "$pgdata"
    }
    for attempt in 1 2 3 4 5; do
      if "${as_pg[@]}" "$pgbin/pg_ctl" -D "$pgdata" -l "$pgdata/server.log" -w \
        -o "-p $port -k $pgdata -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null; then
        break
      fi
      if [ "$attempt" = 5 ]; then tail -n 5 "$pgdata/server.log" >&2; exit 1; fi
      echo "test.sh: PostgreSQL did not start on port $port; trying another" >&2
      pick_port
    done
    "$pgbin/psql" -h 127.0.0.1 -p "$port" -U postgres -q -c "CREATE DATABASE qingshan_test" >/dev/null
    export QINGSHAN_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/qingshan_test"
    echo "test.sh: PostgreSQL $(basename "$(dirname "$pgbin")") on port $port for this run"
  else
    echo "test.sh: PostgreSQL is not installed; running the SQLite suites only (apt-get install postgresql to include it)" >&2
  fi
fi

# The built-in plan files against the JSON Schema and the ledger arithmetic (jsonschema from PyPI when present).
if command -v python3 >/dev/null 2>&1; then
  if python3 -c "import jsonschema" 2>/dev/null; then schema=(); else schema=(--no-schema); fi
  python3 scripts/check_plan.py --strict "${schema[@]}" Sources/Domain/Resources/plans/*.json
fi

swift build --build-tests
swift test --skip-build "$@"
