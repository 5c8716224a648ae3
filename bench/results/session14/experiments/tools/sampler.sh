#!/bin/bash
# samples the child baton server every second: writer/control thread states, job gauges
while true; do
  pid=$(pgrep -f 'baton-server.jar' | head -1)
  if [ -n "$pid" ]; then
    port=$(tr '\0' ' ' < /proc/$pid/cmdline | grep -o -- '--port [0-9]*' | awk '{print $2}')
    st=""
    for t in /proc/$pid/task/*; do
      n=$(cat $t/comm 2>/dev/null)
      case "$n" in baton-store-wri*|baton-control) st="$st $n=$(awk '{print $3}' $t/stat)";; esac
    done
    jobs=$(curl -s --max-time 1 http://127.0.0.1:$port/metrics | grep -E "^baton_(jobs|control_queue|store_queue)" | grep -v " 0.0$" | tr "\n" " ")
    echo "$(date +%T) $st $jobs"
  fi
  sleep 1
done
