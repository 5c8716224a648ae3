# JFR allocation samples (`jfr print --json --events jdk.ObjectAllocationSample`) of one thread, by weight.
#   python3 agg.py alloc.json THREAD top N       -> by the sampled class and its six innermost frames
#   python3 agg.py alloc.json THREAD site N      -> by the innermost frame in dev.baton.server
# Samples weighing over 50 MB are left out: a thread's first sample carries all it allocated before the recording.
import json, sys, collections

path, thread, mode, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])


def name(frame):
    return frame['method']['type']['name'].replace('/', '.')


def short(frame):
    return f"{name(frame).split('.')[-1]}.{frame['method']['name']}:{frame['lineNumber']}"


by = collections.Counter()
total = 0
for event in json.load(open(path))['recording']['events']:
    v = event['values']
    if thread not in (v['eventThread']['javaName'] if v.get('eventThread') else '?'):
        continue
    weight = v['weight']
    if weight > 50e6:
        continue
    total += weight
    frames = v['stackTrace']['frames']
    if mode == 'top':
        key = v['objectClass']['name'] + ' <- ' + ' < '.join(short(f) for f in frames[:6])
    else:
        ours = [short(f) for f in frames if name(f).startswith('dev.baton.server') and 'Lambda' not in name(f)]
        key = ours[0] if ours else 'other:' + short(frames[0])
    by[key] += weight
for key, weight in by.most_common(count):
    print(f"{100 * weight / total:5.1f}% {key}")
