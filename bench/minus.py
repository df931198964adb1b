"""`MINUS` next to `NOT EXISTS` over HTTP, on the same daemon and data: services with no healthy instance
(issue 19: `MINUS` as fast as `NOT EXISTS`). Registers N services (a third each ok, degraded, broken),
then runs each form five times and prints the median.

    python3 bench/minus.py .build/debug/registryd 3000
"""
import os
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../Tests/e2e"))
import harness  # noqa: E402

daemon = harness.Daemon(sys.argv[1], prefix="registryd-minus-")
try:
    n = int(sys.argv[2])
    for i in range(n):
        m = {"name": f"site{i % 50}.example/S{i}", "version": "1", "instance": {"id": f"i{i}", "health": ["ok", "degraded", "broken"][i % 3]},
             "objects": [{"name": f"site{i % 50}.example/S{i}/o", "methods": [{"name": "m", "endpoints": [{"protocol": "rest", "url": f"http://10.0.0.{i % 250}/m"}]}]}]}
        harness.call(daemon.base, "POST", "/v1/services", m, token=daemon.admin)
    prefix = "PREFIX ms: <https://w3id.org/registryd/ms#> "
    queries = {
        "MINUS": prefix + 'SELECT ?s WHERE { ?s ms:hasInstance ?i . MINUS { ?s ms:hasInstance ?j . ?j ms:healthStatus ms:Healthy } }',
        "NOT EXISTS": prefix + 'SELECT ?s WHERE { ?s ms:hasInstance ?i . FILTER NOT EXISTS { ?s ms:hasInstance ?j . ?j ms:healthStatus ms:Healthy } }',
    }
    for name, q in queries.items():
        times = []
        for _ in range(5):
            start = time.perf_counter()
            status, _, body = harness.call(daemon.base, "GET", "/sparql?query=" + urllib.parse.quote(q), token=daemon.admin,
                                           headers={"Accept": "application/sparql-results+json"})
            times.append(time.perf_counter() - start)
        rows = len(body["results"]["bindings"]) if isinstance(body, dict) else body
        times.sort()
        print(f"{name}: {rows} rows, median {times[2]*1000:.0f} ms")
finally:
    daemon.stop()
