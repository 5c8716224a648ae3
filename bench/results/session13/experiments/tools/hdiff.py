import sys
def load(f):
    d={}
    for line in open(f):
        p=line.split()
        if len(p)>=4 and p[0].endswith(':') and p[0][:-1].isdigit():
            d[p[3]]=(int(p[1]),int(p[2]))
    return d
a=load(sys.argv[1]); b=load(sys.argv[2]); n=int(sys.argv[3]) if len(sys.argv)>3 else 10000
groups={}
for k,(c,s) in b.items():
    c0,s0=a.get(k,(0,0))
    g=k
    for pre,name in [('com.linecorp.armeria','armeria'),('io.netty','netty'),('dev.baton.proto','baton-proto'),('dev.baton','baton'),('com.google.protobuf','protobuf'),('io.grpc','grpc'),('java.','java'),('[','arrays')]:
        if k.startswith(pre): g=name;break
    groups[g]=groups.get(g,0)+(s-s0)
for g,v in sorted(groups.items(),key=lambda x:-x[1])[:12]: print(f"{v/n:8.1f} B/agent {g}")
