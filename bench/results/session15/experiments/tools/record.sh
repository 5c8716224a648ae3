#!/bin/bash
# The record of session 15: every scenario's documented command, one after the other, on the quiet machine.
cd /work/main
OUT=bench/results/session15/record
mkdir -p $OUT
run() { local name=$1; shift; echo "[$(date -u +%H:%M:%S)] $name start" >> $OUT/times.txt
  NO_BUILD=1 bash bench/run.sh "$@" --out $OUT > $OUT/$name.log.txt 2>&1
  echo "[$(date -u +%H:%M:%S)] $name end rc=$?" >> $OUT/times.txt; }
run latency latency
run dispatch dispatch --rates 1000,2500,5000,10000 --duration 15
run watch watch --no-stall
run restart restart
run fleet fleet
echo done >> $OUT/times.txt
