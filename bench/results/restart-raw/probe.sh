#!/usr/bin/env bash
# probe.sh JAR STORE_DIR [jvm args...]: copies the store, starts the server, prints ms to /healthz 200 and /v1/status 200.
jar=$1; store=$2; shift 2
work=$(mktemp -d /tmp/rs/run.XXXX)
if [ -n "$store" ] && [ "$store" != none ]; then cp -r "$store" "$work/data"; else mkdir -p "$work/data"; fi
port=$((20000 + RANDOM % 20000))
t0=$(date +%s%N)
if [ "${jar#launcher:}" != "$jar" ]; then
  AGENT_TOKEN=x ENGINES_ENABLED=false BATON_SERVER_JAR="${jar#launcher:}" JAVA_OPTS="$*" /work/wt-restart/bin/baton-server --port $port --data-dir "$work/data" > "$work/log" 2>&1 &
else
  AGENT_TOKEN=x ENGINES_ENABLED=false java "$@" -jar "$jar" --port $port --data-dir "$work/data" > "$work/log" 2>&1 &
fi
pid=$!
h=0
while :; do
  if [ $h = 0 ] && curl -sf -o /dev/null http://127.0.0.1:$port/healthz; then h=$(( ($(date +%s%N)-t0)/1000000 )); fi
  if curl -sf -o /dev/null http://127.0.0.1:$port/v1/status; then r=$(( ($(date +%s%N)-t0)/1000000 )); cpu=$(awk '{print ($14+$15)*10}' /proc/$pid/stat); break; fi
  sleep 0.005
done
echo "healthz_ms=$h ready_ms=$r cpu_ms=$cpu load=$(cut -d' ' -f1 /proc/loadavg) dir=$work"
kill $pid; wait $pid 2>/dev/null
