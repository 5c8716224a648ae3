#!/bin/bash
# FlushCoalescer A/B: jvm (without) vs coal, alternating: latency, then watch
cd /work/main
for j in coal jvm; do
  java -jar bench/target/baton-bench.jar latency --runs 1 --server-jar /tmp/s10/jars/$j.jar --out /tmp/s10/cab-latency-$j > /tmp/s10/cab-latency-$j.log 2>&1
done
for j in coal jvm; do
  java -jar bench/target/baton-bench.jar watch --runs 1 --no-stall --server-jar /tmp/s10/jars/$j.jar --out /tmp/s10/cab-watch-$j > /tmp/s10/cab-watch-$j.log 2>&1
done
echo done > /tmp/s10/cab.done
