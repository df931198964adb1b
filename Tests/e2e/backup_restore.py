"""End-to-end: `registryd backup` taken while the daemon serves a write load, and `registryd
restore` into a new data directory, compared with what was acknowledged.

1. Writers register services (each answer carries the registration's change index) and insert
   SPARQL batches while `registryd backup FILE --data DIR` runs against the live data directory.
   The backup says up to which change it holds; the restored registry must hold every
   registration acknowledged at or below that index and none above it, and every SPARQL batch
   whole or not at all.
2. With the load stopped, a second backup is restored and the restored daemon's quads, services,
   policies and signing keys (JWKS) are compared with the live daemon's: equal.
3. `restore` refuses a directory a daemon is serving and a file that is not a backup, and changes
   nothing in either case.

Prints `backup-restore: N passed, N failed`.

    python3 Tests/e2e/backup_restore.py .build/debug/registryd
"""
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time

from harness import Checks, Daemon, call

binary = sys.argv[1]
checks = Checks("backup-restore")
check = checks.check
work = tempfile.mkdtemp(prefix="registryd-backup-")


def manifest(name, index):
    return {"name": name, "version": f"1.0.{index}",
            "instance": {"id": name.replace("/", "-"), "host": "h1", "ttl": "1h"},
            "objects": [{"name": name + "/thing", "methods": [{"name": "read", "endpoints": [
                {"protocol": "rest", "url": f"http://10.0.0.{index % 250}:8080/thing"}]}]}]}


def sparql(daemon, query):
    status, _, body = call(daemon.base, "POST", "/sparql", query, token=daemon.admin,
                           content_type="application/sparql-query", headers={"Accept": "application/sparql-results+json"})
    assert status == 200, (status, body)
    return body["results"]["bindings"]


def all_quads(daemon):
    rows = sparql(daemon, "SELECT ?g ?s ?p ?o WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }")
    return sorted(tuple((row.get(k) or {}).get("value", "") + "|" + (row.get(k) or {}).get("type", "")
                        for k in ["g", "s", "p", "o"]) for row in rows)


def services(daemon):
    status, _, body = call(daemon.base, "GET", "/v1/services", token=daemon.admin)
    return sorted((s["id"], s["version"]) for s in body["services"]) if status == 200 else None


def run(*args):
    return subprocess.run([binary, *args], capture_output=True, text=True, timeout=120)


live = Daemon(binary, prefix="registryd-backup-live-")
restored = None
try:
    status, _, body = call(live.base, "PUT", "/v1/policies/base", 'p: permit call on "backup.example/**";',
                           token=live.admin, content_type="text/plain")
    check("a policy stored", status in (200, 201), (status, body))

    acknowledged = {}      # registration id -> change index of its acknowledged registration
    batches = {}           # SPARQL batch graph -> acknowledged?
    stop = threading.Event()
    lock = threading.Lock()

    def register(worker):
        n = 0
        while not stop.is_set():
            name = f"backup.example/w{worker}/s{n}"
            status, _, body = call(live.base, "POST", "/v1/services", manifest(name, n), token=live.admin)
            if status in (200, 201):
                with lock:
                    acknowledged[body["id"]] = body["index"]
            n += 1

    def insert():
        n = 0
        while not stop.is_set():
            graph = f"urn:batch:{n}"
            triples = " ".join(f"<urn:s{n}-{i}> <urn:p> {i} ." for i in range(25))
            status, _, _ = call(live.base, "POST", "/update", f"INSERT DATA {{ GRAPH <{graph}> {{ {triples} }} }}",
                                token=live.admin, content_type="application/sparql-update")
            with lock:
                batches[graph] = status == 204
            n += 1

    workers = [threading.Thread(target=register, args=(w,)) for w in range(3)] + [threading.Thread(target=insert)]
    for thread in workers:
        thread.start()
    time.sleep(1.5)
    online = f"{work}/online.db"
    started = time.monotonic()
    result = run("backup", online, "--data", live.data)
    took = time.monotonic() - started
    time.sleep(1.0)
    stop.set()
    for thread in workers:
        thread.join()
    check("`backup` succeeds while the daemon serves writes", result.returncode == 0, result.stderr)
    print(f"  online backup: {result.stdout.strip()} in {took:.2f} s; "
          f"{len(acknowledged)} registrations and {sum(batches.values())} batches acknowledged during the run")
    check("the backup file is private (mode 0600)", os.stat(online).st_mode & 0o777 == 0o600, oct(os.stat(online).st_mode))
    upto = int(result.stdout.split("up to change ")[1].split()[0]) if "up to change " in result.stdout else -1

    target = f"{work}/restored-online"
    result = run("restore", online, "--data", target)
    check("`restore` of the online backup into a new directory", result.returncode == 0, result.stderr)
    restored = Daemon(binary, data=target)
    got = {sid for sid, _ in services(restored) or []}
    before = {sid for sid, index in acknowledged.items() if index <= upto}
    after = {sid for sid, index in acknowledged.items() if index > upto}
    check("every registration acknowledged at or below the backup's change index is restored",
          before <= got and len(before) > 0, (len(before), len(before - got)))
    check("no registration acknowledged after the backup's change index is restored",
          not (after & got) and len(after) > 0, (len(after), sorted(after & got)[:3]))
    counts = sparql(restored, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s <urn:p> ?o } } GROUP BY ?g")
    partial = [row for row in counts if row["n"]["value"] != "25"]
    check("every SPARQL batch in the backup is whole (25 triples)", counts and not partial, partial[:3])
    status, _, body = call(restored.base, "GET", "/v1/policies/base", token=restored.admin)
    check("the policy is restored", status == 200, (status, body))
    integrity = subprocess.run(["python3", "-c", "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("
                                "'PRAGMA integrity_check').fetchone()[0])", online], capture_output=True, text=True)
    check("the backup file passes SQLite's integrity check", integrity.stdout.strip() == "ok", integrity.stdout)
    restored.stop()
    restored = None

    # Quiescent backup: the restored registry equals the live one.
    quiet = f"{work}/quiet.db"
    result = run("backup", quiet, "--data", live.data)
    check("a second backup", result.returncode == 0, result.stderr)
    target = f"{work}/restored-quiet"
    result = run("restore", quiet, "--data", target)
    check("its restore", result.returncode == 0, result.stderr)
    restored = Daemon(binary, data=target)
    live_quads, restored_quads = all_quads(live), all_quads(restored)
    check("restored quads equal the live daemon's", live_quads == restored_quads and len(live_quads) > 1000,
          (len(live_quads), len(restored_quads)))
    check("restored services equal the live daemon's", services(live) == services(restored))
    live_jwks = call(live.base, "GET", "/.well-known/jwks.json")[2]
    check("the signing keys are restored (same JWKS)", live_jwks == call(restored.base, "GET", "/.well-known/jwks.json")[2])
    check("the admin token of the backup works on the restored daemon", restored.admin == live.admin)

    # Refusals that change nothing.
    snapshot = services(restored)
    result = run("restore", online, "--data", target)
    check("`restore` into a directory a daemon serves is refused with one line",
          result.returncode != 0 and "stop the daemon" in result.stderr and len(result.stderr.strip().splitlines()) == 1,
          result.stderr)
    check("... and the served registry is unchanged", services(restored) == snapshot)
    restored.stop()
    restored = None
    garbage = f"{work}/garbage.db"
    with open(garbage, "wb") as out:
        out.write(random.randbytes(70000))
    result = run("restore", garbage, "--data", target)
    check("`restore` of a file that is not a backup is refused with one line",
          result.returncode != 0 and len(result.stderr.strip().splitlines()) == 1, result.stderr)
    restored = Daemon(binary, data=target)
    check("... and the registry in that directory is unchanged", services(restored) == snapshot)
finally:
    if restored:
        restored.stop()
    live.stop()
    shutil.rmtree(work, ignore_errors=True)

checks.finish()
