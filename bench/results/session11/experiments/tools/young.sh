#!/bin/bash
# latency, alternating: the launcher's young-generation cap (64m) against 96m, 2 each
cd /work/main
for i in 1 2; do
  java -jar bench/target/baton-bench.jar latency --runs 1 --out /tmp/s11/out/young-64 > /tmp/s11/young-64-$i.log 2>&1
  java -jar bench/target/baton-bench.jar latency --runs 1 --out /tmp/s11/out/young-96 --server-jvm-args "-XX:MaxNewSize=96m" > /tmp/s11/young-96-$i.log 2>&1
done
echo done > /tmp/s11/young.done
