#!/bin/bash
# latency A/B, alternating: A = cc6586b (gauges only, /tmp/s14/A), B = c60b463 (intake lanes, the working tree's jar then).
# Pairs 1-2 ran as `tools/ablat.sh`, pairs 3-4 as `OUT=/tmp/s14/lat2 ROUNDS="3 4" tools/ablat.sh`.
OUT=${OUT:-/tmp/s14/lat}
ROUNDS=${ROUNDS:-1 2}
cd /work/main
ulimit -n 65536
mkdir -p $OUT
for i in $ROUNDS; do
  for v in A B; do
    if [ $v = A ]; then j=/tmp/s14/A/baton-server.jar; else j=server/target/baton-server.jar; fi
    java -jar bench/target/baton-bench.jar latency --runs 1 --server-jar $j --out $OUT/$v > $OUT/$v-$i.log.txt 2>&1
  done
done
echo done > $OUT/done
