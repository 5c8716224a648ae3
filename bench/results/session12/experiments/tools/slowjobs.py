#!/usr/bin/env python3
"""slowjobs.py TIMELINE.csv [THREADS.csv ...]: jobs and slow jobs (agent's RUNNING > 3 ms after the submit) per
0.5 s of a latency part (a --timeline-dir file), and CPU ms per kind of thread in the same 0.5 s (threadcpu.py files)."""
import collections, csv, re, sys
rows = list(csv.DictReader(open(sys.argv[1])))
t0 = int(rows[0]['submitted_epoch_us']) // 1000
t1 = int(rows[-1]['submitted_epoch_us']) // 1000
jobs, slow = collections.Counter(), collections.Counter()
for r in rows:
    k = (int(r['submitted_epoch_us']) // 1000 - t0) // 500
    jobs[k] += 1
    slow[k] += int(r['running_sent_us']) > 3000
print('second, jobs, slow:', [(k / 2, jobs[k], slow[k]) for k in sorted(jobs)])
for f in sys.argv[2:]:
    cpu = collections.defaultdict(collections.Counter)
    for line in open(f):
        ts, rest = line.strip().split(',', 1)
        name, ms = rest.rsplit(',', 1)
        if t0 - 3000 <= int(ts) <= t1 + 500:
            cpu[(int(ts) - t0) // 500][re.sub(r'[-_ #]?\d+$', '', name)] += int(ms)
    print('==', f)
    for k in sorted(cpu):
        print(k / 2, dict(cpu[k].most_common(6)))
