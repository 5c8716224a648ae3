#!/bin/bash
# latency A/B, alternating: ab-latency.sh TAG JAR... (2 rounds, 5,000 idle jobs a run)
tag=$1; shift
cd /work/main
for i in 1 2; do
  for j in "$@"; do
    n=$(basename $j .jar)
    java -jar bench/target/baton-bench.jar latency --runs 1 --sequential 5000 --server-jar $j --out /tmp/s12/out/$tag-$n > /tmp/s12/$tag-$n-$i.log 2>&1
  done
done
echo done > /tmp/s12/$tag.done
