#!/usr/bin/env bash
# Starts the server the documented way (server/bin/baton-server) twice: the first start makes the
# class-data archive beside the jar, the second maps it. Each must answer GET /readyz and stop with 0.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=server/target/baton-server.jar
archive=server/target/baton-server.jsa
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
rm -f "$archive"

ready() { # GET /readyz answers 200 (python3 is on every machine .ci/test prepares; curl need not be)
  python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' \
    "http://127.0.0.1:$1/readyz" 2>/dev/null
}

start_and_stop() {
  local port pid
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  ENGINES_ENABLED=false server/bin/baton-server --port "$port" --data-dir "$scratch/data" >"$scratch/log" 2>&1 &
  pid=$!
  for _ in $(seq 1200); do
    ready "$port" && break
    kill -0 "$pid" 2>/dev/null || { cat "$scratch/log"; echo "launcher-smoke: the server exited" >&2; exit 1; }
    sleep 0.1
  done
  ready "$port" || { echo "launcher-smoke: /readyz never answered 200" >&2; exit 1; }
  tr '\0' ' ' </proc/$pid/cmdline
  echo
  kill -TERM "$pid"
  wait "$pid"
}

touch "$scratch/marker"
start_and_stop
[ -s "$archive" ] || { echo "launcher-smoke: no archive at $archive after the first start" >&2; exit 1; }
second=$(start_and_stop)
grep -q -- "-XX:SharedArchiveFile=" <<<"$second" || { echo "launcher-smoke: the second start did not use the archive" >&2; exit 1; }
for flag in -XX:NewSize=64m -XX:MaxNewSize=64m -XX:GCTimeRatio=4; do
  grep -q -- "$flag" <<<"$second" || { echo "launcher-smoke: the launcher did not pass $flag" >&2; exit 1; }
done
# The log lines are Baton's format (set in code, internal/ConsoleLogging), and the SQLite driver loaded
# its library from the data directory's copy instead of unpacking one into the temporary directory.
grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+(Z|[+-][0-9:]+) INFO  BatonServer event=server-started ' "$scratch/log" ||
  { cat "$scratch/log"; echo "launcher-smoke: no event=server-started line in Baton's log format" >&2; exit 1; }
ls "$scratch"/data/native/sqlite-jdbc-*libsqlitejdbc* >/dev/null 2>&1 ||
  { echo "launcher-smoke: no copy of the SQLite library in $scratch/data/native" >&2; exit 1; }
unpacked=$(find "${TMPDIR:-/tmp}" -maxdepth 1 -name 'sqlite-*libsqlitejdbc*' -newer "$scratch/marker" 2>/dev/null)
[ -z "$unpacked" ] || { echo "launcher-smoke: the SQLite driver unpacked its library again: $unpacked" >&2; exit 1; }
echo "launcher-smoke: server/bin/baton-server made $archive and started with it"
