#!/bin/bash
cd /work/main
for j in base packed base packed; do
  NO_BUILD=1 bash bench/run.sh dispatch --runs 1 --rates 2500,5000 --keep-going --server-jar /tmp/s9/$j.jar --out /tmp/s9/abpack-$j > /tmp/s9/abpack-$j-$(date +%H%M%S).log 2>&1
done
echo done > /tmp/s9/abpack.done
