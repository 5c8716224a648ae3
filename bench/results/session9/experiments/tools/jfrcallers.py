import json, sys, subprocess, collections
# usage: jfrcallers.py file.jfr HH:MM:SS HH:MM:SS method-substring [depth]
f, lo, hi, m = sys.argv[1:5]
depth = int(sys.argv[5]) if len(sys.argv) > 5 else 6
out = subprocess.run(['jfr', 'print', '--json', '--stack-depth', '64', '--events', 'jdk.ExecutionSample', f], capture_output=True, text=True).stdout
ev = json.loads(out)['recording']['events']
paths = collections.Counter(); n = 0
for e in ev:
    v = e['values']; t = v['startTime'][11:19]
    if not (lo <= t <= hi): continue
    frames = v['stackTrace']['frames'] if v['stackTrace'] else []
    names = [fr['method']['type']['name'].split('/')[-1] + '.' + fr['method']['name'] for fr in frames]
    for i, x in enumerate(names):
        if m in x:
            paths[' < '.join(names[i:i+depth])] += 1; n += 1; break
print('samples with', m, n)
for k, c in paths.most_common(15): print(c, k)
