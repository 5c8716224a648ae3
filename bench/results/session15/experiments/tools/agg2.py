import json,sys,collections
d=json.load(open(sys.argv[1])); thread=sys.argv[2]; depth=int(sys.argv[3])
by=collections.Counter(); tot=0
for e in d['recording']['events']:
    v=e['values']
    t=v['eventThread']['javaName'] if v.get('eventThread') else '?'
    if thread not in t: continue
    w=v['weight']
    if w>50e6: continue
    tot+=w
    frames=v['stackTrace']['frames']
    def nm(f): return f['method']['type']['name'].replace('/','.')
    def fn(f): return f"{nm(f).split('.')[-1]}.{f['method']['name']}:{f['lineNumber']}"
    bf=[fn(f) for f in frames if nm(f).startswith('dev.baton.server') and 'Lambda' not in nm(f)][:depth]
    by[' < '.join(bf) if bf else 'other:'+fn(frames[0])]+=w
for k,w in by.most_common(int(sys.argv[4])): print(f"{100*w/tot:5.1f}% {k}")
