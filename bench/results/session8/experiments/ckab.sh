#!/bin/bash
cd /work/main
for i in 1 2; do
for args in "-Dbaton.ckpt=200" "-Dbaton.ckpt=5000 -Dbaton.ckptw=1000000" ; do
  echo "== [$args] $(date +%T)"
  NO_BUILD=1 bash bench/run.sh latency --sequential 1000 --duration 15 --runs 1 --out /tmp/s8/ck --warmup-jobs 60000 --server-jar /work/ab/s8-ckpt.jar --server-jvm-args "$args" 2>&1 | grep -E "\] (idle|at 1000)|Exception"
done
done
