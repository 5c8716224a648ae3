#!/bin/bash
# latency A/B, alternating: lab.sh NAME JAR_A JAR_B ... (2 rounds)
tag=$1; shift
cd /work/main
for i in 1 2; do
  for j in "$@"; do
    n=$(basename $j .jar)
    java -jar bench/target/baton-bench.jar latency --runs 1 --sequential 5000 --server-jar $j --out /tmp/s11/out/$tag-$n > /tmp/s11/$tag-$n-$i.log 2>&1
  done
done
echo done > /tmp/s11/$tag.done
