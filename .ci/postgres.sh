#!/usr/bin/env bash
# Makes a PostgreSQL 15 instance of the tests' own answer on 127.0.0.1:$BATON_PG_PORT and prints its
# JDBC URL (credentials included) on stdout; everything else goes to stderr. Idempotent: an instance
# that already answers is used as it is. The cluster is this script's own (initdb into
# $BATON_PG_DIR, run as the unprivileged user `postgres`); no other cluster is ever touched.
#   export BATON_TEST_PG_URL="$(bash .ci/postgres.sh)"   # start (or reuse) and use
#   bash .ci/postgres.sh stop                              # stop the instance this script started
set -euo pipefail

PG_DIR="${BATON_PG_DIR:-/var/tmp/baton-pg}"
PORT="${BATON_PG_PORT:-55432}"
USER_NAME=baton
PASSWORD=baton-test
BIN=/usr/lib/postgresql/15/bin
URL="jdbc:postgresql://127.0.0.1:$PORT/postgres?user=$USER_NAME&password=$PASSWORD"

log() { echo "postgres.sh: $*" >&2; }
as_postgres() { if [[ "$(id -un)" == postgres ]]; then "$@"; else runuser -u postgres -- "$@"; fi; }

if [[ "${1:-}" == "stop" ]]; then
  [[ -f "$PG_DIR/data/postmaster.pid" ]] && as_postgres "$BIN/pg_ctl" -D "$PG_DIR/data" -m fast stop >&2
  exit 0
fi

if [[ ! -x "$BIN/postgres" ]]; then
  log "installing postgresql-15"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null
fi

if "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
  log "an instance already answers on 127.0.0.1:$PORT; using it"
  echo "$URL"
  exit 0
fi

mkdir -p "$PG_DIR"
chown postgres: "$PG_DIR" 2>/dev/null || true
if [[ ! -f "$PG_DIR/data/PG_VERSION" ]]; then
  log "initdb into $PG_DIR/data"
  pwfile="$PG_DIR/pwfile"
  echo "$PASSWORD" >"$pwfile"
  chown postgres: "$pwfile" 2>/dev/null || true
  as_postgres "$BIN/initdb" -D "$PG_DIR/data" -U "$USER_NAME" --pwfile="$pwfile" \
      --auth-local=scram-sha-256 --auth-host=scram-sha-256 -E UTF8 >"$PG_DIR/initdb.log" 2>&1 \
    || { tail -n 20 "$PG_DIR/initdb.log" >&2; exit 1; }
  rm -f "$pwfile"
fi
log "starting postgres on 127.0.0.1:$PORT (data=$PG_DIR/data, socket in /tmp)"
# fsync stays on: the store tests check durability. Many test databases share this one instance.
as_postgres "$BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/postgres.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -c unix_socket_directories=/tmp -c max_connections=200" start >&2 \
  || { tail -n 20 "$PG_DIR/postgres.log" >&2; exit 1; }
echo "$URL"
