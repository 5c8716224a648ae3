#!/bin/bash
# flush consolidation A/B: jvm (session 10's server without it) vs fch, alternating; watch, dispatch, latency
cd /work/main
for j in jvm fch; do
  java -jar bench/target/baton-bench.jar watch --runs 1 --no-stall --server-jar /tmp/s10/jars/$j.jar --out /tmp/s10/fab-watch-$j > /tmp/s10/fab-watch-$j.log 2>&1
done
for j in jvm fch; do
  NO_BUILD=1 bash bench/run.sh dispatch --runs 1 --rates 2500 --server-jar /tmp/s10/jars/$j.jar --out /tmp/s10/fab-dispatch-$j > /tmp/s10/fab-dispatch-$j.log 2>&1
done
for j in jvm fch; do
  java -jar bench/target/baton-bench.jar latency --runs 1 --server-jar /tmp/s10/jars/$j.jar --out /tmp/s10/fab-latency-$j > /tmp/s10/fab-latency-$j.log 2>&1
done
echo done > /tmp/s10/fab.done
