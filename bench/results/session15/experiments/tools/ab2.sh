#!/bin/bash
# latency A/B, alternating: G1 (the launcher's default) vs -XX:+UseParallelGC, same jar (main at 5cf9b9d).
cd /work/main
ulimit -n 20000
OUT=/tmp/s15/ab2
mkdir -p $OUT
for i in 1 2; do
  for v in g1 par; do
    if [ $v = par ]; then a="--server-jvm-args -XX:+UseParallelGC"; else a=""; fi
    java -jar bench/target/baton-bench.jar latency --runs 1 --server-jar /tmp/s15/base.jar $a --out $OUT/$v > $OUT/$v-$i.log.txt 2>&1
  done
done
echo done > $OUT/done
