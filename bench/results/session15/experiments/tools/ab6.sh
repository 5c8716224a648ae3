#!/bin/bash
# Does the young generation's size tip dispatch at 5,000 offered? The launcher's fixed 64 MiB against 128 MiB,
# the record's step sequence, three pairs alternating, the server of the record (5cf9b9d).
cd /work/main
ulimit -n 20000
OUT=/tmp/s15/ab6
mkdir -p $OUT
for i in 1 2 3; do
  for v in y64 y128; do
    a=(); [ $v = y128 ] && a=(--server-jvm-args "-XX:NewSize=128m -XX:MaxNewSize=128m")
    java -jar bench/target/baton-bench.jar dispatch --rates 1000,2500,5000 --duration 15 --runs 1 \
      --server-jar /tmp/s15/base.jar "${a[@]}" --out $OUT/$v > $OUT/$v-$i.log.txt 2>&1
  done
done
echo done > $OUT/done
