#!/bin/bash
# usage: fleetrss.sh OUTDIR "JVM ARGS" [extra bench args]
out=$1; jvm=$2; shift 2
mkdir -p $out
cd /work/main
NO_BUILD=1 bash bench/run.sh fleet --runs 1 --duration 60 --out $out --server-jvm-args "$jvm" "$@" > $out/bench.log.txt 2>&1 &
bpid=$!
sleep 8
spid=$(pgrep -f "baton-server.jar --port" | tail -1)
echo "server pid $spid" > $out/pid.txt
for i in $(seq 1 40); do
  kill -0 $spid 2>/dev/null || break
  echo "$(date +%T) $(grep VmRSS /proc/$spid/status | awk '{print $2}') $(jcmd $spid GC.heap_info 2>/dev/null | grep 'garbage-first' | sed 's/.*total //;s/,.*used / /;s/ \[.*//')" >> $out/rss.txt
  sleep 5
done
wait $bpid
grep "KiB/agent" $out/bench.log.txt
