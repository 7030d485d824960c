# Writes the entries of a JSON spec with Python's own MmapedDict and mmap_key:
#   python3 bytes.py <spec.json> <out.db>
# spec: [[metric_name, name, labelnames, labelvalues, help, value], ...]
import json
import sys

from prometheus_client.mmap_dict import MmapedDict, mmap_key

spec = json.load(open(sys.argv[1], encoding='utf-8'))
d = MmapedDict(sys.argv[2])
for metric_name, name, labelnames, labelvalues, help_text, value in spec:
    d.write_value(mmap_key(metric_name, name, labelnames, labelvalues, help_text), value)
d.close()
