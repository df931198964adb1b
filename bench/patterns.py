"""Query forms that mean the same, over HTTP on one daemon and the same data (issue 19: `MINUS` as
fast as `NOT EXISTS`; `VALUES ?g { <g> } GRAPH ?g { ... }` as fast as `GRAPH <g> { ... }`).
Registers N services (a third each ok, degraded, broken), runs each form five times and prints the
median and the rows (each pair must give the same rows).

    python3 bench/patterns.py .build/debug/registryd 3000
"""
import os
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../Tests/e2e"))
import harness  # noqa: E402

PREFIX = "PREFIX ms: <https://w3id.org/registryd/ms#> "
GRAPH = "urn:registryd:registration:i7"
PAIRS = [
    ("services with no healthy instance",
     PREFIX + "SELECT ?s WHERE { ?s ms:hasInstance ?i . MINUS { ?s ms:hasInstance ?j . ?j ms:healthStatus ms:Healthy } }",
     PREFIX + "SELECT ?s WHERE { ?s ms:hasInstance ?i . FILTER NOT EXISTS { ?s ms:hasInstance ?j . ?j ms:healthStatus ms:Healthy } }"),
    ("one registration's graph",
     f"SELECT * WHERE {{ VALUES ?g {{ <{GRAPH}> }} GRAPH ?g {{ ?s ?p ?o }} }}",
     f"SELECT * WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}"),
]


def timed(daemon, query):
    times, rows = [], None
    for _ in range(5):
        start = time.perf_counter()
        status, _, body = harness.call(daemon.base, "GET", "/sparql?query=" + urllib.parse.quote(query), token=daemon.admin,
                                       headers={"Accept": "application/sparql-results+json"})
        times.append(time.perf_counter() - start)
        rows = len(body["results"]["bindings"]) if status == 200 else f"HTTP {status}"
    return sorted(times)[2] * 1000, rows


def main():
    daemon = harness.Daemon(sys.argv[1], prefix="registryd-patterns-")
    try:
        count = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
        for i in range(count):
            manifest = {"name": f"site{i % 50}.example/S{i}", "version": "1",
                        "instance": {"id": f"i{i}", "health": ["ok", "degraded", "broken"][i % 3]},
                        "objects": [{"name": f"site{i % 50}.example/S{i}/o", "methods": [
                            {"name": "m", "endpoints": [{"protocol": "rest", "url": f"http://10.0.0.{i % 250}/m"}]}]}]}
            harness.call(daemon.base, "POST", "/v1/services", manifest, token=daemon.admin)
        print(f"{count} services; median of 5 over HTTP")
        print("| query | form | ms | rows |")
        print("| --- | --- | --- | --- |")
        for what, first, second in PAIRS:
            for form, query in (("first", first), ("second", second)):
                milliseconds, rows = timed(daemon, query)
                shown = query.replace(PREFIX, "")
                print(f"| {what} | `{shown[:70]}` | {milliseconds:.1f} | {rows} |")
    finally:
        daemon.stop()


main()
