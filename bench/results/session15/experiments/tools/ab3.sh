#!/bin/bash
# JIT churn: the launcher's default vs -XX:-UseCodeCacheFlushing, dispatch at 1,000/s, JFR recording every compilation.
cd /work/main
ulimit -n 20000
OUT=/tmp/s15/ab3
mkdir -p $OUT
for v in def noflush; do
  a="-XX:StartFlightRecording=delay=40s,duration=60s,settings=/tmp/s15/jit.jfc,filename=$OUT/$v.jfr"
  [ $v = noflush ] && a="$a -XX:-UseCodeCacheFlushing"
  java -jar bench/target/baton-bench.jar dispatch --rates 1000,2500 --duration 20 --runs 1 --warmup-jobs 60000 \
    --server-jar /tmp/s15/base.jar --server-jvm-args "$a" --out $OUT/$v > $OUT/$v.log.txt 2>&1
done
echo done > $OUT/done
