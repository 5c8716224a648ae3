import os, sys, time, collections
# tstate.py PID SECONDS: samples each named thread's state at 200 Hz (R running, S sleeping, D disk)
pid = sys.argv[1]; secs = float(sys.argv[2])
names = {}
for tid in os.listdir(f'/proc/{pid}/task'):
    try: names[tid] = open(f'/proc/{pid}/task/{tid}/comm').read().strip()
    except Exception: pass
want = {t: n for t, n in names.items() if any(k in n for k in ('store-wri', 'baton-control', 'armeria-common', 'GC Thread', 'C2'))}
c = collections.defaultdict(collections.Counter); w = collections.defaultdict(collections.Counter)
end = time.time() + secs; n = 0
while time.time() < end:
    for tid, nm in want.items():
        try:
            st = open(f'/proc/{pid}/task/{tid}/stat').read().rsplit(')', 1)[1].split()[0]
            c[nm][st] += 1
            if 'store' in nm and st != 'R':
                w[nm][open(f'/proc/{pid}/task/{tid}/wchan').read().strip()] += 1
        except Exception: pass
    n += 1; time.sleep(0.005)
for nm, cnt in sorted(c.items()):
    tot = sum(cnt.values()); print(f'{nm:30s}', ' '.join(f'{k}:{100*v/tot:.0f}%' for k, v in cnt.most_common()))
for nm, cnt in w.items(): print(nm, 'wchan', cnt.most_common(6))
