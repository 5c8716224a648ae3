#!/bin/bash
# A/B of a 96 MiB fixed young generation against the launcher's 64 MiB: latency twice each, alternating, then one 60 s fleet run each.
cd /work/main
out=/tmp/s13/aby; mkdir -p $out
for i in 1 2; do
  for v in 64 96; do
    if [ $v = 96 ]; then args="-XX:NewSize=96m -XX:MaxNewSize=96m"; else args="-Dyoung=64"; fi
    java -jar bench/target/baton-bench.jar latency --runs 1 --server-jvm-args "$args" --out $out/latency-$v > $out/latency-$v-$i.log.txt 2>&1
  done
done
/tmp/s13/fleetrss.sh $out/fleet-96 "-XX:NewSize=96m -XX:MaxNewSize=96m"
/tmp/s13/fleetrss.sh $out/fleet-64 "-Dyoung=64"
echo done > $out/done
