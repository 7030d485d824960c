# Reads one file as Python does, twice: read_all_values_from_file (the collector's way) and by
# opening it for writing (MmapedDict indexing it, as a Python process reusing the pid would).
# Prints "key<TAB>repr(value)" per entry, then "reopened <n>".
import sys

from prometheus_client.mmap_dict import MmapedDict

for key, value, _ in MmapedDict.read_all_values_from_file(sys.argv[1]):
    print(key + '\t' + repr(value))
d = MmapedDict(sys.argv[1])
print('reopened', len(d._positions))
d.close()
