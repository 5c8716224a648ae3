#!/bin/bash
# usage: fleetprobe.sh OUTDIR [extra bench args]
out=$1; shift
mkdir -p $out
cd /work/main
NO_BUILD=1 bash bench/run.sh fleet --runs 1 --duration 60 --out $out "$@" > $out/bench.log.txt 2>&1 &
bpid=$!
sleep 6
spid=""
for i in $(seq 1 30); do
  spid=$(pgrep -f "baton-server.jar --port" | tail -1); [ -n "$spid" ] && break; sleep 1
done
echo "server pid $spid" > $out/pid.txt
sleep 12
jcmd $spid GC.class_histogram > $out/histo-idle.txt 2>&1
jcmd $spid VM.native_memory summary > $out/nmt-idle.txt 2>&1
grep VmRSS /proc/$spid/status >> $out/pid.txt
sleep 40
jcmd $spid GC.class_histogram > $out/histo-agents.txt 2>&1
jcmd $spid VM.native_memory summary > $out/nmt-agents.txt 2>&1
grep VmRSS /proc/$spid/status >> $out/pid.txt
jcmd $spid GC.heap_info > $out/heapinfo.txt 2>&1
wait $bpid
