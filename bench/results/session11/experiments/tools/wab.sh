#!/bin/bash
# watch, one run each, alternating: session 10's server (base), the final code (v7), and ckpt1000
cd /work/main
for j in base v7 ckpt1000; do
  java -jar bench/target/baton-bench.jar watch --runs 1 --no-stall --server-jar /tmp/s11/jars/$j.jar --out /tmp/s11/out/wab-$j > /tmp/s11/wab-$j.log 2>&1
done
echo done > /tmp/s11/wab.done
