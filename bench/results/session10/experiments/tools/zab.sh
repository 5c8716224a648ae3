#!/bin/bash
# the load generator's own collector: G1 (default) vs ZGC, same server jar (arena2), alternating
cd /work/main
for i in 1 2; do
  for g in g1 zgc; do
    flags=""; [ $g = zgc ] && flags="-XX:+UseZGC"
    java $flags -Xlog:gc:file=/tmp/s10/zab-$g-$i-bench-gc.log -jar bench/target/baton-bench.jar latency --runs 1 \
      --server-jar /tmp/s10/jars/arena2.jar --out /tmp/s10/zab-$g > /tmp/s10/zab-$g-$i.log 2>&1
  done
done
echo done > /tmp/s10/zab.done
