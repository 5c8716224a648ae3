#!/bin/bash
# GC evidence: base vs encode-on-archive, dispatch 1000 and 5000, JFR default settings for GC events.
cd /work/main
ulimit -n 20000
for v in base encode; do
  java -jar bench/target/baton-bench.jar dispatch --rates 1000,5000 --keep-going --duration 15 --runs 1 --warmup-jobs 60000 \
    --server-jar /tmp/s15/$v.jar --server-jvm-args "-XX:StartFlightRecording=delay=70s,duration=60s,settings=default,filename=/tmp/s15/gc-$v.jfr" \
    --out /tmp/s15/ab1/$v > /tmp/s15/ab1-$v.log.txt 2>&1
done
echo done > /tmp/s15/ab1.done
