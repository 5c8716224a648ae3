#!/bin/bash
# Session 8: every scenario that a JIT warm-up changes, with the warmed defaults, 3 runs each.
set -u
cd "$(dirname "$0")/../../.."
out=bench/results/session8
NO_BUILD=1 bash bench/run.sh latency --out $out
NO_BUILD=1 bash bench/run.sh watch --out $out
NO_BUILD=1 bash bench/run.sh dispatch --rates 1000,2500,5000,10000 --duration 15 --out $out
NO_BUILD=1 bash bench/run.sh engines --runs 3 --samples 3 --out $out
