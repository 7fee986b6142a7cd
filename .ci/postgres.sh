#!/usr/bin/env bash
# PostgreSQL from Debian for the *.postgres-test.ts suites (store-postgres, broadcast).
#
#   export SWP_TEST_POSTGRES_URL=$(bash .ci/postgres.sh)   # install if needed, start, create swp_test
#   bash .ci/postgres.sh stop                              # stop it again, if this script started it
#   bash .ci/postgres.sh run <command…>                    # start, run the command with
#                                                          # SWP_TEST_POSTGRES_URL set, stop; the
#                                                          # command's exit status
#
# Only the connection string goes to standard output; progress goes to standard error.
# PostgreSQL refuses to run as root: pg_ctlcluster starts the cluster as its owner (postgres),
# and the role and database are created through psql as that user (peer authentication).
set -euo pipefail

VERSION=15
CLUSTER=main
PORT=5432
ROLE=swp_test
DATABASE=swp_test
# A test-only password on a server that listens on 127.0.0.1 only.
PASSWORD=swp_test
# Marks that this script started the cluster, so that `stop` leaves alone one that was running before.
STATE=/tmp/swp-postgres-started

say() { printf '[postgres] %s\n' "$*" >&2; }
as_postgres() { runuser -u postgres -- "$@"; }

cluster_status() {
  # "online" or "down" (pg_lsclusters columns: Ver Cluster Port Status Owner Data Log)
  pg_lsclusters --no-header 2>/dev/null | awk -v v="$VERSION" -v c="$CLUSTER" '$1 == v && $2 == c { print $4 }'
}

if [[ "${1:-}" == "run" ]]; then
  shift
  self="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"
  SWP_TEST_POSTGRES_URL=$(bash "$self")
  export SWP_TEST_POSTGRES_URL
  trap 'bash "$self" stop' EXIT
  status=0
  "$@" || status=$?
  exit "$status"
fi

if [[ "${1:-}" == "stop" ]]; then
  if [[ -f "$STATE" ]]; then
    say "stopping cluster $VERSION/$CLUSTER"
    pg_ctlcluster "$VERSION" "$CLUSTER" stop -m fast >&2 || true
    rm -f "$STATE"
  else
    say "not started by this script: left running"
  fi
  exit 0
fi

if ! command -v pg_ctlcluster >/dev/null || [[ ! -x /usr/lib/postgresql/$VERSION/bin/postgres ]]; then
  say "installing Debian's postgresql"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi

if [[ -z "$(cluster_status)" ]]; then
  say "creating cluster $VERSION/$CLUSTER"
  pg_createcluster "$VERSION" "$CLUSTER" --port "$PORT" >&2
fi

if [[ "$(cluster_status)" != "online" ]]; then
  say "starting cluster $VERSION/$CLUSTER on 127.0.0.1:$PORT"
  # listen_addresses=localhost is Debian's default; said again so that nothing else is reachable.
  pg_ctlcluster "$VERSION" "$CLUSTER" start -o "-c listen_addresses=127.0.0.1" >&2
  touch "$STATE"
fi

for _ in $(seq 1 50); do
  as_postgres psql -p "$PORT" -Atqc "select 1" >/dev/null 2>&1 && break
  sleep 0.2
done

as_postgres psql -p "$PORT" -v ON_ERROR_STOP=1 -q >&2 <<SQL
select 'create role $ROLE login password ''$PASSWORD'''
  where not exists (select from pg_roles where rolname = '$ROLE') \gexec
alter role $ROLE login password '$PASSWORD';
select 'create database $DATABASE owner $ROLE'
  where not exists (select from pg_database where datname = '$DATABASE') \gexec
SQL

echo "postgres://$ROLE:$PASSWORD@127.0.0.1:$PORT/$DATABASE"
