# A Python process writing multiprocess files: python3 write.py <n>
import sys

from prometheus_client import Counter, Gauge, Histogram, Summary

n = int(sys.argv[1])
c = Counter('mixed_requests', 'Requests by view and method', ['view', 'method'])
c.labels('/caf\u00e9/', 'GET').inc(n)
c.labels('quote"back\\slash\nnewline', 'POST').inc(0.5)
c.labels('\U0001F600 emoji', 'GET').inc()
for mode in ['all', 'liveall', 'min', 'livemin', 'max', 'livemax', 'sum', 'livesum']:
    g = Gauge('py_gauge_' + mode, 'Gauge merged by ' + mode, ['kind'], multiprocess_mode=mode)
    g.labels('a').set(n * 1.5)
    g.labels('b').inc(n)
h = Histogram('mixed_latency_seconds', 'Latency', ['view'],
              buckets=[0.005, 0.01, 0.1, 1, 2.5, 1e6, 536870912])
for v in [0.001, 0.05, 0.5, 3, 1e7, float(n)]:
    h.labels('/x').observe(v)
s = Summary('py_size_bytes', 'Sizes')
s.observe(n)
s.observe(2)
Counter('py_plain', 'No labels').inc(n)
