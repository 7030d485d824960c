# Prints Python prometheus_client's merge of $PROMETHEUS_MULTIPROC_DIR, one sorted line per sample:
# name{label="value",...} repr(value)   (labels sorted, values JSON-quoted)
import json
import os

from prometheus_client import CollectorRegistry
from prometheus_client.multiprocess import MultiProcessCollector

registry = CollectorRegistry()
MultiProcessCollector(registry, path=os.environ['PROMETHEUS_MULTIPROC_DIR'])
lines = []
for metric in registry.collect():
    for s in metric.samples:
        pairs = sorted(k + '=' + json.dumps(v) for k, v in s.labels.items())
        lines.append(s.name + '{' + ','.join(pairs) + '} ' + repr(float(s.value)))
for line in sorted(lines):
    print(line)
