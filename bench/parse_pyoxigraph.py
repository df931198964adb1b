#!/usr/bin/env python3
"""Parse an RDF/XML file with pyoxigraph and print the number of triples.

Used by bench/parse.sh. Needs pyoxigraph >= 0.4 (parse(path=..., format=RdfFormat...)).
The base IRI is the file's URI, as rapper uses.
"""
import pathlib
import sys

import pyoxigraph


def main() -> None:
    path = pathlib.Path(sys.argv[1]).resolve()
    triples = pyoxigraph.parse(path=path, format=pyoxigraph.RdfFormat.RDF_XML, base_iri=path.as_uri())
    print(sum(1 for _ in triples))


if __name__ == "__main__":
    main()
