#!/bin/bash
# latency with the server's fsync durations traced (strace -T) through the idle part
cd /work/main
log=/tmp/s11/ftrace.log
java -jar bench/target/baton-bench.jar latency --runs 1 --sequential 5000 --duration 5 --out /tmp/s11/out/ftrace > $log 2>&1 &
bench=$!
pid=
until [ -n "$pid" ]; do sleep 0.5; pid=$(pgrep -f "^java -X.*-jar /work/main/server/target/baton-server.jar" | head -1); done
sleep 2
strace -f -tt -T -e trace=fsync,fdatasync --seccomp-bpf -p $pid -o /tmp/s11/ftrace.txt &
st=$!
until grep -q "idle, one at a time: [0-9]" $log; do sleep 0.2; done
kill $st
wait $bench
echo done >> $log
