#!/bin/bash
# dispatch A/B, alternating: ab-dispatch.sh TAG RATES JAR... (2 rounds)
tag=$1; rates=$2; shift 2
cd /work/main
for i in 1 2; do
  for j in "$@"; do
    n=$(basename $j .jar)
    java -jar bench/target/baton-bench.jar dispatch --runs 1 --rates $rates --duration 15 --server-jar $j --out /tmp/s12/out/$tag-$n > /tmp/s12/$tag-$n-$i.log 2>&1
  done
done
echo done > /tmp/s12/$tag.done
