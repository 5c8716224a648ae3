# C2 (level 4) compilations per 10 s of wall clock from a JFR recording's jdk.Compilation events (threshold 0 ms).
import json,collections,re,sys
d=json.load(open(sys.argv[1]))
def secs(s):
    m=re.match(r'PT(?:(\d+)M)?([\d.]+)S',s); return (int(m.group(1) or 0))*60+float(m.group(2))
b=collections.Counter(); bn=collections.Counter(); m4=collections.Counter()
for e in d['recording']['events']:
    v=e['values']
    if v['compileLevel']==4:
        sec=v['startTime'][11:18]+'0'; b[sec]+=secs(v['duration']); bn[sec]+=1
        m4[v['method']['type']['name'].split('/')[-1]+'.'+v['method']['name']]+=secs(v['duration'])
print('10 s from (UTC)  C2 compilations  C2 seconds')
for s in sorted(b): print(s, bn[s], round(b[s],2))
print('\nlongest in total (s):')
for k,t in m4.most_common(12): print(round(t,3), k)
