#!/bin/bash
# Session 6: fleet RSS per agent with the launcher's defaults vs a capped young generation.
cd /work/main
OUT=/work/ab/s6; J=/work/ab/s6-f.jar
step() { echo "=== $* $(date +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"; }
fleet() { NO_BUILD=1 bash bench/run.sh fleet --duration 60 --runs 1 --server-jar $J --out $OUT "$@" 2>&1 | grep -E "written|per agent|RSS|CPU|OFFLINE" | head -12; }
step default; fleet
step maxnew64; fleet --server-jvm-args "-XX:MaxNewSize=64m"
step done
