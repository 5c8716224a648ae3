#!/bin/bash
cd /work/main
/tmp/s11/tools/statdisp.sh base /tmp/s11/jars/base.jar 2500
/tmp/s11/tools/statdisp.sh v7 /tmp/s11/jars/v7.jar 2500
for j in v7 base; do
  java -jar bench/target/baton-bench.jar dispatch --runs 1 --rates 2500,5000 --duration 15 --keep-going --server-jar /tmp/s11/jars/$j.jar --out /tmp/s11/out/d5-$j > /tmp/s11/d5-$j.log 2>&1
done
echo done > /tmp/s11/ab1.done
