import json, sys, subprocess, collections
f, lo, hi = sys.argv[1:4]
out = subprocess.run(['jfr', 'print', '--json', '--stack-depth', '1', '--events', 'jdk.PromoteObjectInNewPLAB,jdk.PromoteObjectOutsidePLAB', f], capture_output=True, text=True).stdout
ev = json.loads(out)['recording']['events']
old = collections.Counter(); surv = collections.Counter(); n = collections.Counter()
for e in ev:
    v = e['values']; t = v['startTime'][11:19]
    if not (lo <= t <= hi): continue
    cls = v['objectClass']['name'] if v['objectClass'] else '?'
    (old if v['tenured'] else surv)[cls] += v.get('plabSize') or v['objectSize']
    n['old' if v['tenured'] else 'surv'] += 1
print('events', dict(n), 'old MiB', sum(old.values())/2**20, 'survivor MiB', sum(surv.values())/2**20)
print('-- to old (sampled by PLAB: first object of each PLAB)')
for k, c in old.most_common(30): print(f'{c/2**20:8.2f} MiB {k}')
print('-- to survivor')
for k, c in surv.most_common(15): print(f'{c/2**20:8.2f} MiB {k}')
