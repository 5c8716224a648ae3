#!/bin/bash
cd /work/main
for j in base arena2; do
  java -jar bench/target/baton-bench.jar latency --runs 1 --server-jar /tmp/s10/jars/$j.jar --out /tmp/s10/age-$j \
    --server-jvm-args "-Xlog:gc*,gc+age=trace:file=/tmp/s10/age-$j-gc.log" > /tmp/s10/age-$j.log 2>&1
done
echo done > /tmp/s10/age.done
