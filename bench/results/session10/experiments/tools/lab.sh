#!/bin/bash
# latency A/B: base vs arena2, alternating, with the server's GC log
cd /work/main
for i in 1 2; do
  for j in base arena2; do
    java -jar bench/target/baton-bench.jar latency --runs 1 --server-jar /tmp/s10/jars/$j.jar --out /tmp/s10/lab-$j \
      --server-jvm-args "-Xlog:gc:file=/tmp/s10/lab-$j-$i-gc.log" > /tmp/s10/lab-$j-$i.log 2>&1
  done
done
echo done > /tmp/s10/lab.done
