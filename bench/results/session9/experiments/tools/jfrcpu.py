import json, sys, subprocess, collections
# usage: jfrcpu.py file.jfr [HH:MM:SS HH:MM:SS] [--filter substr] [--thread substr]
f = sys.argv[1]
args = sys.argv[2:]
lo = hi = None
filt = None; thr = None
i = 0
rest = []
while i < len(args):
    if args[i] == '--filter': filt = args[i+1]; i += 2
    elif args[i] == '--thread': thr = args[i+1]; i += 2
    else: rest.append(args[i]); i += 1
if len(rest) >= 2: lo, hi = rest[0], rest[1]
out = subprocess.run(['jfr', 'print', '--json', '--stack-depth', '64', '--events', 'jdk.ExecutionSample', f], capture_output=True, text=True).stdout
ev = json.loads(out)['recording']['events']
selfc = collections.Counter(); incl = collections.Counter(); threads = collections.Counter(); pkg = collections.Counter()
n = 0
for e in ev:
    v = e['values']
    t = v['startTime'][11:19]
    if lo and not (lo <= t <= hi): continue
    th = v['sampledThread']['javaName'] or v['sampledThread'].get('osName')
    if thr and thr not in (th or ''): continue
    frames = v['stackTrace']['frames'] if v['stackTrace'] else []
    names = [fr['method']['type']['name'] + '.' + fr['method']['name'] for fr in frames]
    if filt and not any(filt in x for x in names): continue
    n += 1
    threads[(th or '?').rstrip('0123456789-')] += 1
    if names:
        selfc[names[0]] += 1
    seen = set()
    for x in names:
        if x not in seen:
            incl[x] += 1; seen.add(x)
print('samples', n)
print('-- threads'); [print(f'{c:6d} {100*c/n:5.1f}% {k}') for k, c in threads.most_common(15)]
print('-- self'); [print(f'{c:6d} {100*c/n:5.1f}% {k}') for k, c in selfc.most_common(40)]
print('-- inclusive (dev.baton)'); [print(f'{c:6d} {100*c/n:5.1f}% {k}') for k, c in incl.most_common(400) if 'baton' in k][:0]
for k, c in [kc for kc in incl.most_common(2000) if 'baton' in kc[0]][:50]: print(f'{c:6d} {100*c/n:5.1f}% {k}')
