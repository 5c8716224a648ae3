#!/bin/bash
# second pass, order reversed: latency, then watch
cd /work/main
for j in fch jvm; do
  java -jar bench/target/baton-bench.jar latency --runs 1 --server-jar /tmp/s10/jars/$j.jar --out /tmp/s10/fab2-latency-$j > /tmp/s10/fab2-latency-$j.log 2>&1
done
for j in fch jvm; do
  java -jar bench/target/baton-bench.jar watch --runs 1 --no-stall --server-jar /tmp/s10/jars/$j.jar --out /tmp/s10/fab2-watch-$j > /tmp/s10/fab2-watch-$j.log 2>&1
done
echo done > /tmp/s10/fab2.done
