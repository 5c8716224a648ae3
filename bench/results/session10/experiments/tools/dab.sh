#!/bin/bash
# dispatch A/B: base vs arena1 at 2,500 offered, alternating
cd /work/main
for i in 1 2; do
  for j in base arena1; do
    NO_BUILD=1 bash bench/run.sh dispatch --runs 1 --rates 2500 --server-jar /tmp/s10/jars/$j.jar --out /tmp/s10/dab-$j > /tmp/s10/dab-$j-$i.log 2>&1
  done
done
echo done > /tmp/s10/dab.done
