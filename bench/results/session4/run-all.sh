#!/bin/bash
# Quiet-window measurements of merged main (and the pre-session jar where said). Results in /work/ab/final/.
cd /work/main
OUT=/work/ab/final; mkdir -p $OUT
NEW=server/target/baton-server.jar
BASE=/work/ab/main-d4300cd.jar
PGC="-XX:+UseParallelGC"
step() { echo "=== $* $(date +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"; }
lat() { NO_BUILD=1 bash bench/run.sh latency --sequential 1000 --duration 10 --runs 1 --out $OUT "$@" 2>&1 | grep -E "jobs, RUNNING sent|written|closed"; }
for i in 1 2; do
  step latency base;  lat --server-jar $BASE
  step latency new;   lat --server-jar $NEW
  step latency new+parallelgc; lat --server-jar $NEW --server-jvm-args "$PGC"
done
disp() { NO_BUILD=1 bash bench/run.sh dispatch --rates 2000,2500,3000 --duration 10 --runs 1 --keep-going --out $OUT "$@" 2>&1 | grep -E "^\[.*rate|written"; }
step dispatch new; disp --server-jar $NEW
step dispatch new+parallelgc; disp --server-jar $NEW --server-jvm-args "$PGC"
step fleet new;     NO_BUILD=1 bash bench/run.sh fleet --duration 60 --runs 1 --server-jar $NEW --out $OUT 2>&1 | grep -E "written|heartbeating|per agent" | head -8
step watch new;     NO_BUILD=1 bash bench/run.sh watch --runs 1 --server-jar $NEW --out $OUT 2>&1 | grep -E "events sent|written"
step restart new vs base; NO_BUILD=1 bash bench/run.sh restart --runs 2 --server-jar $NEW --compare-jar $BASE --out $OUT 2>&1 | grep -E "ready|written"
step done
