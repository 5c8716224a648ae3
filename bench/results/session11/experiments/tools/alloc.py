import json, sys, subprocess, collections
# usage: alloc.py file.jfr HH:MM:SS HH:MM:SS [depth] : allocation (sampled weight) by thread, by class, by top frames
f, lo, hi = sys.argv[1:4]
depth = int(sys.argv[4]) if len(sys.argv) > 4 else 4
out = subprocess.run(['jfr', 'print', '--json', '--stack-depth', '24', '--events', 'jdk.ObjectAllocationSample', f], capture_output=True, text=True).stdout
ev = json.loads(out)['recording']['events']
byth = collections.Counter(); bycls = collections.Counter(); bysite = collections.Counter(); tot = 0
skip = ('java.', 'jdk.', 'sun.', 'com.google.protobuf.', 'io.netty.', 'com.linecorp.armeria.internal.common.')
for e in ev:
    v = e['values']; t = v['startTime'][11:19]
    if not (lo <= t <= hi): continue
    w = v['weight']; tot += w
    th = v['eventThread']['javaName'] if v.get('eventThread') else '?'
    th = ''.join(c for c in th if not c.isdigit())
    byth[th] += w
    bycls[v['objectClass']['name']] += w
    frames = v['stackTrace']['frames'] if v['stackTrace'] else []
    names = [fr['method']['type']['name'].replace('/', '.') + '.' + fr['method']['name'] for fr in frames]
    own = [n for n in names if n.startswith('dev.baton')]
    key = (names[0] if names else '?') + ' <- ' + (' < '.join(own[:depth]) if own else ' < '.join(names[1:depth+1]))
    bysite[key] += w
print('total MB', round(tot/1e6,1))
for name, c in (('thread', byth), ('class', bycls), ('site', bysite)):
    print('==', name)
    for k, n in c.most_common(25): print(f'{n/tot*100:5.1f}% {n/1e6:8.1f}MB {k}')
