#!/usr/bin/env bash
# bench/run.sh SCENARIO [options]: builds the server and benchmark jars, then runs one scenario of
# docs/benchmarks.md against a server on 127.0.0.1 and writes its result under bench/results/.
#   SCENARIO: dispatch | latency | fleet | watch | restart | rest | engines | fsync   (options: --help after the name)
#   engines needs the Docker engine (bash .ci/docker.sh) and also builds the reference agent's jar.
#   NO_BUILD=1 skips the build (the result still records the commit of the work tree).
set -euo pipefail
cd "$(dirname "$0")/.."
scenario=${1:?usage: bench/run.sh dispatch|latency|fleet|watch|restart|rest|engines|fsync [options]}
shift
# 10,000 agents over a few hundred connections, plus the server's side of them.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
if [ -z "${NO_BUILD:-}" ]; then
  modules=bench
  [ "$scenario" = engines ] && modules=bench,agent-client
  ./mvnw -q -pl "$modules" -am package -DskipTests
fi
echo "load average (1/5/15 min): $(cut -d' ' -f1-3 /proc/loadavg); other busy processes:"
ps -eo pid,pcpu,comm --sort=-pcpu | sed -n '2,6p'
exec java -jar bench/target/baton-bench.jar "$scenario" "$@"
