#!/bin/bash
cd /work/main
for i in 1 2; do
for args in "" "-XX:+UseZGC" ; do
  echo "== [$args] $(date +%T)"
  NO_BUILD=1 bash bench/run.sh latency --sequential 1000 --duration 15 --runs 1 --out /tmp/s8/gc --warmup-jobs 60000 ${args:+--server-jvm-args "$args"} 2>&1 | grep -E "\] (idle|at 1000)|Exception"
done
done
