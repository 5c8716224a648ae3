import json,sys,collections
d=json.load(open(sys.argv[1])); thread=sys.argv[2]; mode=sys.argv[3] if len(sys.argv)>3 else 'baton'
by=collections.Counter(); tot=0
for e in d['recording']['events']:
    v=e['values']
    t=v['eventThread']['javaName'] if v.get('eventThread') else '?'
    if thread not in t: continue
    w=v['weight']
    if w>50e6: continue
    tot+=w
    frames=v['stackTrace']['frames'] if v.get('stackTrace') else []
    cls=v['objectClass']['name']
    def fn(f): return f"{f['method']['type']['name'].replace('/','.').split('.')[-1]}.{f['method']['name']}:{f['lineNumber']}"
    if mode=='baton':
        bf=[fn(f) for f in frames if f['method']['type']['name'].replace('/','.').startswith('dev.baton') and 'Lambda' not in f['method']['type']['name']][:3]
        key=cls+' <- '+' < '.join(bf) if bf else cls+' <- '+' < '.join(fn(f) for f in frames[:4])
    elif mode=='top':
        key=cls+' <- '+' < '.join(fn(f) for f in frames[:6])
    else:
        bf=[fn(f) for f in frames if f['method']['type']['name'].replace('/','.').startswith('dev.baton') and 'Lambda' not in f['method']['type']['name']][:1]
        key=bf[0] if bf else 'nonbaton:'+(fn(frames[-1]) if frames else '?')
    by[key]+=w
for k,w in by.most_common(int(sys.argv[4]) if len(sys.argv)>4 else 40): print(f"{100*w/tot:5.1f}% {k}")
