#!/bin/bash
# Session 9's dispatch runs with the longer, slower warm-up (90,000 jobs at 1,000/s, the defaults since
# this session): three runs of 2,500 and 5,000 jobs/s offered, with the server's CPU by kind of thread.
cd "$(dirname "$0")/../../.."
NO_BUILD=1 bash bench/run.sh dispatch --runs 3 --rates 2500,5000 --keep-going --out bench/results/session9
