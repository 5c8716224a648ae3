#!/bin/bash
# Session 6 final measurements: the session's start (158a82e, with its launcher) vs the final code (with
# today's launcher), alternating, in one sitting. Results in /work/ab/s6/final/.
cd /work/main
OUT=/work/ab/s6/final; mkdir -p $OUT
NEW=/work/ab/s6-final.jar; BASE=/work/ab/base-158a82e.jar; BASE_LAUNCHER=/work/ab/baton-server-base
step() { echo "=== $* $(date +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"; }
lat() { NO_BUILD=1 bash bench/run.sh latency --sequential 1000 --duration 10 --runs 1 --out $OUT "$@" 2>&1 | grep -E "jobs, RUNNING sent|written|closed"; }
base() { echo --server-jar $BASE --server-launcher $BASE_LAUNCHER; }
step restart new vs base; NO_BUILD=1 bash bench/run.sh restart --runs 6 --server-jar $NEW --compare-jar $BASE --out $OUT 2>&1 | grep -E "ready in|written"
for i in 1 2 3; do
  step latency base; lat $(base)
  step latency new;  lat --server-jar $NEW
done
step fleet base; NO_BUILD=1 bash bench/run.sh fleet --duration 60 --runs 1 $(base) --out $OUT 2>&1 | grep -E "written|KiB/agent"
step fleet new;  NO_BUILD=1 bash bench/run.sh fleet --duration 60 --runs 1 --server-jar $NEW --out $OUT 2>&1 | grep -E "written|KiB/agent"
step watch base; NO_BUILD=1 bash bench/run.sh watch --runs 1 $(base) --out $OUT 2>&1 | grep -E "events sent|written|p99"
step watch new;  NO_BUILD=1 bash bench/run.sh watch --runs 1 --server-jar $NEW --out $OUT 2>&1 | grep -E "events sent|written|p99"
step dispatch base; NO_BUILD=1 bash bench/run.sh dispatch --rates 2000 --duration 10 --runs 1 --keep-going --out $OUT $(base) 2>&1 | grep -E "^\[.*rate|written"
step dispatch new;  NO_BUILD=1 bash bench/run.sh dispatch --rates 2000 --duration 10 --runs 1 --keep-going --out $OUT --server-jar $NEW 2>&1 | grep -E "^\[.*rate|written"
step restart kill new; NO_BUILD=1 bash bench/run.sh restart --runs 2 --kill --server-jar $NEW --out $OUT 2>&1 | grep -E "ready in|written"
step done
