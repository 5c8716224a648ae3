#!/bin/bash
cd /work/main
for i in 1 2; do
for args in "-Dbaton.ckpt=5000 -Dbaton.ckptw=1000000" "-Dbaton.ckpt=200"; do
  echo "== [$args] $(date +%T)"
  NO_BUILD=1 bash bench/run.sh dispatch --rates 5000 --duration 15 --runs 1 --out /work/main/bench/results/session8/experiments/checkpoint-flood --server-jar /work/ab/s8-ckpt.jar --server-jvm-args "$args" 2>&1 | grep -E "^\[.*rate"
done
done
