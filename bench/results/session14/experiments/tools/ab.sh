#!/bin/bash
# A/B, alternating, 3 rounds: A = cc6586b (metrics only), B = the same plus intake lanes in the store writer and the control loop.
cd /work/main
ulimit -n 65536
for i in 1 2 3; do
  for v in A B; do
    java -jar bench/target/baton-bench.jar dispatch --runs 1 --rates 5000,10000 --keep-going --duration 15 --warmup-jobs 60000 \
      --server-jar /tmp/s14/$v/baton-server.jar --out /tmp/s14/ab/$v > /tmp/s14/ab/$v-$i.log.txt 2>&1
  done
done
echo done > /tmp/s14/ab/done
