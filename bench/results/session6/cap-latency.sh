#!/bin/bash
# Session 6: the final jar with the launcher's young-generation cap (64m), without it, and with 128m,
# latency and dispatch scenarios, alternating. (-XX:MaxNewSize=8g after the launcher's 64m lifts the cap:
# the later flag wins.)
cd /work/main
OUT=/work/ab/s6/cap; mkdir -p $OUT; J=/work/ab/s6-final.jar
step() { echo "=== $* $(date +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"; }
lat() { NO_BUILD=1 bash bench/run.sh latency --sequential 1000 --duration 10 --runs 1 --server-jar $J --out $OUT "$@" 2>&1 | grep -E "jobs, RUNNING sent|written|closed"; }
disp() { NO_BUILD=1 bash bench/run.sh dispatch --rates 2000 --duration 10 --runs 1 --keep-going --server-jar $J --out $OUT "$@" 2>&1 | grep -E "^\[.*rate|written"; }
for i in 1 2 3; do
  step latency uncapped; lat --server-jvm-args "-XX:MaxNewSize=8g"
  step latency 64m; lat
  step latency 128m; lat --server-jvm-args "-XX:MaxNewSize=128m"
done
for i in 1 2; do
  step dispatch uncapped; disp --server-jvm-args "-XX:MaxNewSize=8g"
  step dispatch 64m; disp
  step dispatch 128m; disp --server-jvm-args "-XX:MaxNewSize=128m"
done
step done
