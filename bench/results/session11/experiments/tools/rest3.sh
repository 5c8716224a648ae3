#!/bin/bash
# after the watch record: restart (3 runs) and watch with the stalled-watcher phase (1 run), final code
cd /work/main
NO_BUILD=1 bash bench/run.sh restart --runs 3 --out bench/results/session11 > /tmp/s11/restart.log 2>&1
NO_BUILD=1 bash bench/run.sh watch --runs 1 --out /work/main/bench/results/session11/experiments/watch-stall > /tmp/s11/watch-stall.log 2>&1
echo done > /tmp/s11/rest3.done
