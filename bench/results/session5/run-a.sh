#!/bin/bash
# Session 5 quiet-window measurements: merged main vs the session's starting point (9dde2eb). Results in /work/ab/s5/.
cd /work/main
OUT=/work/ab/s5; mkdir -p $OUT
NEW=/work/ab/s5-new.jar
BASE=/work/ab/main-9dde2eb.jar
step() { echo "=== $* $(date +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"; }
lat() { NO_BUILD=1 bash bench/run.sh latency --sequential 1000 --duration 10 --runs 1 --out $OUT "$@" 2>&1 | grep -E "jobs, RUNNING sent|written|closed"; }
step restart new vs base; NO_BUILD=1 bash bench/run.sh restart --runs 4 --server-jar $NEW --compare-jar $BASE --out $OUT 2>&1 | grep -E "ready in|written"
for i in 1 2 3; do
  step latency base; lat --server-jar $BASE
  step latency new;  lat --server-jar $NEW
done
step watch base; NO_BUILD=1 bash bench/run.sh watch --runs 1 --server-jar $BASE --out $OUT 2>&1 | grep -E "events sent|written|p99"
step watch new;  NO_BUILD=1 bash bench/run.sh watch --runs 1 --server-jar $NEW --out $OUT 2>&1 | grep -E "events sent|written|p99"
step fleet new;  NO_BUILD=1 bash bench/run.sh fleet --duration 60 --runs 1 --server-jar $NEW --out $OUT 2>&1 | grep -E "written|heartbeating|per agent" | head -8
step dispatch new; NO_BUILD=1 bash bench/run.sh dispatch --rates 2000,2500,3000 --duration 10 --runs 1 --keep-going --out $OUT --server-jar $NEW 2>&1 | grep -E "^\[.*rate|written"
step done
