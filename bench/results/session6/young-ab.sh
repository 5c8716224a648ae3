#!/bin/bash
# Session 6: what capping G1's young generation (-XX:MaxNewSize=64m) costs or saves, A/B in one sitting.
cd /work/main
OUT=/work/ab/s6/young; mkdir -p $OUT; J=/work/ab/s6-f.jar; CAP="-XX:MaxNewSize=64m"
step() { echo "=== $* $(date +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"; }
lat() { NO_BUILD=1 bash bench/run.sh latency --sequential 1000 --duration 10 --runs 1 --server-jar $J --out $OUT "$@" 2>&1 | grep -E "jobs, RUNNING sent|written|closed"; }
disp() { NO_BUILD=1 bash bench/run.sh dispatch --rates 2000 --duration 10 --runs 1 --keep-going --server-jar $J --out $OUT "$@" 2>&1 | grep -E "^\[.*rate|written"; }
fleet() { NO_BUILD=1 bash bench/run.sh fleet --duration 60 --runs 1 --server-jar $J --out $OUT "$@" 2>&1 | grep -E "written|KiB/agent"; }
for i in 1 2; do
  step latency default; lat
  step latency cap; lat --server-jvm-args "$CAP"
done
for i in 1 2; do
  step dispatch default; disp
  step dispatch cap; disp --server-jvm-args "$CAP"
done
step fleet cap; fleet --server-jvm-args "$CAP"
step fleet default; fleet
step done
