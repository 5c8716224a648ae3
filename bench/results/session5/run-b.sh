#!/bin/bash
cd /work/main
OUT=/work/ab/s5b; mkdir -p $OUT
NEW=/work/ab/s5-new2.jar
BASE=/work/ab/main-9dde2eb.jar
step() { echo "=== $* $(date +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"; }
step restart new2 vs base; NO_BUILD=1 bash bench/run.sh restart --runs 2 --server-jar $NEW --compare-jar $BASE --out $OUT 2>&1 | grep -E "ready in|written"
step watch new2; NO_BUILD=1 bash bench/run.sh watch --runs 1 --server-jar $NEW --out $OUT 2>&1 | grep -E "events sent|written"
step watch base; NO_BUILD=1 bash bench/run.sh watch --runs 1 --server-jar $BASE --out $OUT 2>&1 | grep -E "events sent|written"
lat() { NO_BUILD=1 bash bench/run.sh latency --sequential 1000 --duration 10 --runs 1 --out $OUT "$@" 2>&1 | grep -E "jobs, RUNNING sent|written|closed"; }
step latency new2; lat --server-jar $NEW
step latency base; lat --server-jar $BASE
step done
