#!/bin/bash
# A/B of the launcher's GC flags, alternating, 2 rounds: dispatch (1,000 and 5,000 offered) and latency.
# old = the launcher of HEAD (young generation capped at 64 MiB), new = the working tree's.
cd /work/main
mkdir -p /tmp/s13/abf
for i in 1 2; do
  for v in old new; do
    if [ $v = new ]; then l=server/bin/baton-server; else l=/tmp/s13/baton-server-old; fi
    java -jar bench/target/baton-bench.jar dispatch --runs 1 --rates 1000,5000 --duration 15 --server-launcher $l --out /tmp/s13/abf/dispatch-$v > /tmp/s13/abf/dispatch-$v-$i.log.txt 2>&1
    java -jar bench/target/baton-bench.jar latency --runs 1 --server-launcher $l --out /tmp/s13/abf/latency-$v > /tmp/s13/abf/latency-$v-$i.log.txt 2>&1
  done
done
echo done > /tmp/s13/abf/done
