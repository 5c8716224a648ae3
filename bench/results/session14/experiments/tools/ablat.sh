#!/bin/bash
# latency A/B, alternating, 2 rounds: A = cc6586b (gauges only), B = c60b463 (intake lanes).
cd /work/main
ulimit -n 65536
for i in 1 2; do
  for v in A B; do
    if [ $v = A ]; then j=/tmp/s14/A/baton-server.jar; else j=server/target/baton-server.jar; fi
    java -jar bench/target/baton-bench.jar latency --runs 1 --server-jar $j --out /tmp/s14/lat/$v > /tmp/s14/lat/$v-$i.log.txt 2>&1
  done
done
echo done > /tmp/s14/lat/done
