#!/bin/bash
# Session 7 final measurements: session 6's code (s6-final = e11d258) vs this session's final server
# code (s7-final = 0a1e31e), alternating, in one sitting. Results in bench/results/session7/final/.
cd /work/main
OUT=bench/results/session7/final; mkdir -p $OUT
NEW=/work/ab/s7-final.jar; BASE=/work/ab/s6-final.jar
step() { echo "=== $* $(date +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"; }
step restart new vs base; NO_BUILD=1 bash bench/run.sh restart --runs 4 --server-jar $NEW --compare-jar $BASE --out $OUT 2>&1 | grep -E "ready in|written"
step watch base; NO_BUILD=1 bash bench/run.sh watch --runs 1 --server-jar $BASE --out $OUT 2>&1 | grep -E "events sent|written|p99"
step watch new;  NO_BUILD=1 bash bench/run.sh watch --runs 1 --server-jar $NEW --out $OUT 2>&1 | grep -E "events sent|written|p99"
step done
