# R7 peer: times Python prometheus_client's MultiProcessCollector merging a directory, the same
# files MultiprocessMergeBenchmark merges. Usage (Debian's client, not a virtualenv's):
#   /usr/bin/python3 benchmarks/python/multiprocess_merge_timeit.py <dir> [repeat]
# Prints the client version, the number of files and samples, and min/median ms per collect().
import glob
import os
import statistics
import sys
import timeit

from importlib.metadata import version

from prometheus_client.multiprocess import MultiProcessCollector

path = sys.argv[1]
repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 20
collector = MultiProcessCollector(None, path=path)


def collect():
    # Materialise every sample, as an exposition would.
    return sum(len(m.samples) for m in collector.collect())


samples = collect()
times = timeit.repeat(collect, number=1, repeat=repeat)
print('prometheus_client', version('prometheus_client'), 'python', sys.version.split()[0])
print('files', len(glob.glob(os.path.join(path, '*.db'))), 'samples', samples)
print('min_ms %.3f median_ms %.3f' % (min(times) * 1000, statistics.median(times) * 1000))
