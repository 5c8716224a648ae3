import json,sys,collections,re
d=json.load(open(sys.argv[1]))
ev=d['recording']['events']
def secs(s):
    m=re.match(r'PT(?:(\d+)M)?([\d.]+)S',s); return (int(m.group(1) or 0))*60+float(m.group(2))
tot=collections.Counter(); n=collections.Counter(); times=[]
for e in ev:
    v=e['values']; k=v['method']['type']['name'].split('/')[-1]+'.'+v['method']['name']
    t=secs(v['duration']); tot[(v['compileLevel'])]+=t; n[v['compileLevel']]+=1
    times.append(v['startTime'])
print('events',len(ev), min(times), max(times))
for l in sorted(n): print('level',l,n[l],'compiles',round(tot[l],2),'s')
