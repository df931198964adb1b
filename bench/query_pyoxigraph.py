"""Times the benchmark queries on pyoxigraph: bulk_load into an on-disk Store, then for each
query one warm-up and RUNS timed runs. Prints `name rows median_ms` per query."""
import statistics
import sys
import tempfile
import time

import pyoxigraph

data, runs, queries = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
with tempfile.TemporaryDirectory() as directory:
    store = pyoxigraph.Store(directory)
    store.bulk_load(path=data, format=pyoxigraph.RdfFormat.RDF_XML)
    for path in queries:
        text = open(path).read()
        rows = sum(1 for _ in store.query(text))
        timings = []
        for _ in range(runs):
            start = time.perf_counter()
            for _ in store.query(text):
                pass
            timings.append((time.perf_counter() - start) * 1000)
        print(path.rsplit("/", 1)[-1], rows, f"{statistics.median(timings):.3f}")
