#!/bin/bash
cd /work/main
for i in 1 2; do
for jar in /work/ab/s8-bound.jar /work/ab/s8-ckpt.jar; do
  echo "== $jar $(date +%T)"
  NO_BUILD=1 bash bench/run.sh dispatch --rates 2500,5000 --keep-going --duration 15 --runs 1 --out /work/main/bench/results/session8/experiments/bound --server-jar $jar 2>&1 | grep -E "^\[.*rate"
done
done
