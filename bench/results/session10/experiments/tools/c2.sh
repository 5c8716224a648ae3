#!/bin/bash
# FlushCoalescer v2 (turns only when tasks are queued behind a flush) vs jvm: latency pair, then watch coal2
cd /work/main
for j in coal2 jvm; do
  java -jar bench/target/baton-bench.jar latency --runs 1 --server-jar /tmp/s10/jars/$j.jar --out /tmp/s10/c2-latency-$j > /tmp/s10/c2-latency-$j.log 2>&1
done
java -jar bench/target/baton-bench.jar watch --runs 1 --no-stall --server-jar /tmp/s10/jars/coal2.jar --out /tmp/s10/c2-watch-coal2 > /tmp/s10/c2-watch-coal2.log 2>&1
echo done > /tmp/s10/c2.done
