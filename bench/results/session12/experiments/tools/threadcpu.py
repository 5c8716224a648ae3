#!/usr/bin/env python3
"""threadcpu.py PID OUT: every 250 ms, CPU ms per thread name of process PID (utime+stime deltas), as CSV lines
epoch_ms,thread,cpu_ms (only threads that ran). Stops when the process ends."""
import os, sys, time
pid, out = sys.argv[1], open(sys.argv[2], 'w')
hz = os.sysconf('SC_CLK_TCK'); prev = {}
while os.path.exists(f'/proc/{pid}'):
    now = int(time.time() * 1000); cur = {}
    try:
        for tid in os.listdir(f'/proc/{pid}/task'):
            try:
                s = open(f'/proc/{pid}/task/{tid}/stat').read()
                name = s[s.index('(') + 1:s.rindex(')')]; f = s[s.rindex(')') + 2:].split()
                cur[tid] = (name, int(f[11]) + int(f[12]))
            except OSError:
                pass
    except OSError:
        break
    for tid, (name, t) in cur.items():
        d = t - prev.get(tid, (name, t))[1]
        if d > 0:
            out.write(f'{now},{name},{d * 1000 // hz}\n')
    out.flush(); prev = cur; time.sleep(0.25)
