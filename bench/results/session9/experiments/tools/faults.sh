#!/bin/bash
# faults.sh OUT: every 5 s, for the baton server java process: minflt majflt utime stime (ticks) rss
out=$1; : > $out
while true; do
  pid=$(pgrep -f "baton-server.jar|/tmp/s9/.*\.jar" | while read p; do grep -q "dev.baton.bench\|baton-bench" /proc/$p/cmdline 2>/dev/null || echo $p; done | head -1)
  if [ -n "$pid" ] && [ -r /proc/$pid/stat ]; then
    s=$(cat /proc/$pid/stat | sed 's/.*) //'); set -- $s
    echo "$(date +%T) pid=$pid minflt=${8} majflt=${10} utime=${12} stime=${13} rss_kb=$(( ${22} * 4 ))" >> $out
  fi
  sleep 5
done
