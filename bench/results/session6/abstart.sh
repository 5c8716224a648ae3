#!/bin/bash
# abstart.sh N STORE JAR... : alternates the jars N rounds on a fresh copy of STORE; ready_ms = spawn → GET /v1/status 200.
n=$1; store=$2; shift 2
port=18777
declare -A all
for r in $(seq $n); do
  for spec in "$@"; do
    jar=${spec%%|*}; opts=""; [ "$spec" != "$jar" ] && opts=${spec#*|}
    rm -rf /tmp/ab-data && cp -r $store /tmp/ab-data
    sync; sleep 1
    t0=$(date +%s%N)
    JAVA_OPTS="$opts" BATON_SERVER_JAR=$jar ENGINES_ENABLED=false AGENT_TOKEN=benchtoken ADMIN_RATE_LIMIT_RPS=0 /work/main/server/bin/baton-server --port $port --data-dir /tmp/ab-data > /tmp/ab.out 2>&1 &
    pid=$!
    until [ "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:$port/v1/status 2>/dev/null)" = 200 ]; do sleep 0.01; done
    e=$(date +%s%N)
    cpu=$(( ($(cut -d" " -f14 /proc/$pid/stat)+$(cut -d" " -f15 /proc/$pid/stat))*10 ))
    ms=$(( (e-t0)/1000000 ))
    echo "$(basename "$spec") ready_ms=$ms cpu_ms=$cpu $(grep -o 'startup_ms="[^"]*"' /tmp/ab.out)"
    all[$spec]="${all[$spec]} $ms"
    kill $pid; wait $pid 2>/dev/null
  done
done
for spec in "$@"; do echo "$(basename "$spec") median $(echo ${all[$spec]} | tr ' ' '\n' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}') all:${all[$spec]}"; done
