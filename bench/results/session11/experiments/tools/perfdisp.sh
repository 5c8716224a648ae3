#!/bin/bash
# dispatch at one rate with perf on the server during the step: perfdisp.sh NAME JAR RATE
name=$1; jar=$2; rate=${3:-2500}
cd /work/main
log=/tmp/s11/perf-$name.log
java -jar bench/target/baton-bench.jar dispatch --runs 1 --rates $rate --duration 20 --warmup-jobs 60000 --server-jar $jar --out /tmp/s11/out \
  --server-jvm-args "-XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit -XX:+PreserveFramePointer" > $log 2>&1 &
bench=$!
until grep -q "jobs ended" $log; do sleep 0.5; done
pid=$(pgrep -f "^java -X.*-jar $jar" | head -1)
sleep 3
perf record -F 499 -g -p $pid -o /tmp/s11/perf-$name.data -- sleep 12 > /tmp/s11/perf-$name.rec.log 2>&1
jcmd $pid Compiler.perfmap >> /tmp/s11/perf-$name.rec.log 2>&1
cp /tmp/perf-$pid.map /tmp/s11/perf-$name.map 2>/dev/null
echo "pid $pid" >> /tmp/s11/perf-$name.rec.log
wait $bench
echo done >> $log
