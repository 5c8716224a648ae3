import json,sys,collections
d=json.load(open(sys.argv[1]))
ev=d['recording']['events']
first={};last={};t0={};t1={}
for e in ev:
    v=e['values']; name=v['thread']['javaName'] if v['thread'] else '?'
    a=v['allocated']; t=v['startTime']
    if name not in first or t<t0[name]: first[name]=a;t0[name]=t
    if name not in last or t>t1[name]: last[name]=a;t1[name]=t
tot=0
rows=[]
for n in first:
    dlt=last[n]-first[n]; tot+=dlt; rows.append((dlt,n))
rows.sort(reverse=True)
jobs=float(sys.argv[2])
for dlt,n in rows[:15]: print(f"{dlt/1e6:9.1f} MB {dlt/jobs/1024:7.2f} KiB/job  {n}")
print(f"total {tot/1e6:.1f} MB, {tot/jobs/1024:.2f} KiB/job")
