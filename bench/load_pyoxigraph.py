#!/usr/bin/env python3
"""Bulk-load an RDF file into a new on-disk pyoxigraph Store and report how long it took.

    load_pyoxigraph.py FILE STORE_DIR

Prints one line: `TRIPLES SECONDS`, where SECONDS covers opening the store, `bulk_load` and
closing it (the store object is deleted, which flushes RocksDB), and TRIPLES is `len(store)`.
Used by bench/load.sh. Needs pyoxigraph >= 0.4 (`bulk_load(path=..., format=RdfFormat...)`).
The base IRI is the file's URI, as rapper and registryd use.
"""
import gc
import pathlib
import sys
import time

import pyoxigraph


def main() -> None:
    path = pathlib.Path(sys.argv[1]).resolve()
    directory = sys.argv[2]
    formats = {".rdf": pyoxigraph.RdfFormat.RDF_XML, ".owl": pyoxigraph.RdfFormat.RDF_XML,
               ".ttl": pyoxigraph.RdfFormat.TURTLE, ".nt": pyoxigraph.RdfFormat.N_TRIPLES}
    start = time.perf_counter()
    store = pyoxigraph.Store(directory)
    store.bulk_load(path=path, format=formats.get(path.suffix, pyoxigraph.RdfFormat.RDF_XML), base_iri=path.as_uri())
    count = len(store)
    del store
    gc.collect()
    elapsed = time.perf_counter() - start
    print(count, f"{elapsed:.3f}")


if __name__ == "__main__":
    main()
