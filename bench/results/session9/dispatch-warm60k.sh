#!/bin/bash
# Session 9's dispatch runs with the warm-up as it was until this session (60,000 jobs at the first
# rate, at most 2,000/s; 10:49–10:56): three runs of 2,500 and 5,000 jobs/s offered, each step also reporting the
# server's CPU by kind of thread (GC, JIT compilers, event loops, control loop, store writer).
cd "$(dirname "$0")/../../.."
NO_BUILD=1 bash bench/run.sh dispatch --runs 3 --rates 2500,5000 --keep-going --warmup-jobs 60000 --warmup-rate 2000 --out bench/results/session9
