import sys, subprocess, collections, re
# usage: sysbreak.py perf.data : per thread, share of samples by syscall (or user-space DSO)
out = subprocess.run(['perf', 'script', '-i', sys.argv[1], '-F', 'comm,ip,sym,dso'], capture_output=True, text=True).stdout
by = collections.defaultdict(collections.Counter); tot = collections.Counter(); n = 0
comm = None; stack = []
def flush():
    global n
    if comm is None: return
    n += 1
    key = None
    for sym, dso in stack:
        m = re.match(r'__x64_sys_(\w+)', sym)
        if m: key = 'sys_' + m.group(1); break
    if key is None:
        sym, dso = stack[0] if stack else ('?', '?')
        if 'kernel' in dso:
            key = 'kernel-other:' + sym
        else:
            key = 'user:' + dso.split('/')[-1][:40]
    by[comm][key] += 1; tot[comm] += 1
for line in out.splitlines():
    if not line.strip():
        flush(); comm = None; stack = []; continue
    if not line.startswith(('\t', ' ')):
        flush(); comm = line.strip(); stack = []; continue
    parts = line.strip().split(' ', 1)
    rest = parts[1] if len(parts) > 1 else ''
    m = re.match(r'(.*) \((.*)\)$', rest)
    sym, dso = (m.group(1), m.group(2)) if m else (rest, '?')
    stack.append((sym, dso))
flush()
for c, t in tot.most_common(6):
    print(f'== {c} {t} samples ({t/n*100:.1f}%)')
    for k, v in by[c].most_common(12): print(f'  {v/n*100:5.1f}% {k}')
