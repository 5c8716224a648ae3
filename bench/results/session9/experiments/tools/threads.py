import os, sys, time, collections, re
# threads.py PID SECONDS : per-thread-group user/sys CPU seconds over the window
pid = sys.argv[1]; secs = float(sys.argv[2])
def snap():
    d = {}
    for tid in os.listdir(f'/proc/{pid}/task'):
        try:
            comm = open(f'/proc/{pid}/task/{tid}/comm').read().strip()
            st = open(f'/proc/{pid}/task/{tid}/stat').read().rsplit(')', 1)[1].split()
            d[tid] = (comm, int(st[11]), int(st[12]))
        except Exception: pass
    return d
a = snap(); time.sleep(secs); b = snap()
g = collections.defaultdict(lambda: [0, 0])
for tid, (comm, u, s) in b.items():
    u0, s0 = (a[tid][1], a[tid][2]) if tid in a else (0, 0)
    key = re.sub(r'[#\-]?\d+$', '', comm)
    g[key][0] += u - u0; g[key][1] += s - s0
tot = sum(x[0] + x[1] for x in g.values())
print(f'window {secs}s, total {tot/100:.2f} CPU-s = {tot/secs:.0f}% of a core')
for k, (u, s) in sorted(g.items(), key=lambda x: -(x[1][0] + x[1][1]))[:20]:
    print(f'{(u+s)/secs:6.1f}%  user {u/100:6.2f}s sys {s/100:6.2f}s  {k}')
