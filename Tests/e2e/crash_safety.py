"""End-to-end: `registryd serve` killed with SIGKILL at random moments under a mixed write load,
restarted on the same data directory, and checked each time: every write acknowledged (2xx) before
the kill is there after the restart, a write that was in flight is there whole or not at all,
nothing unacknowledged appears half written, and SQLite's `PRAGMA integrity_check` says `ok`.

The load, from one thread per kind: service registrations (new, replaced by POST and by PUT),
lease renewals, health changes, deregistrations, SPARQL updates (`INSERT DATA` of a batch of K
triples into a named graph, each batch with its own marker), Graph Store imports (PUT or POST of a
Turtle or RDF/XML document of K triples) and policy changes (`PUT /v1/policies/{name}`). Every
object (registration, graph, policy) is written by one thread only, so at most one write per
object can be in flight at the kill. Prints a summary and `crash-safety: N passed, N failed`.

    python3 Tests/e2e/crash_safety.py .build/debug/registryd [--kills 100] [--seed S]
"""
import argparse
import json
import os
import random
import shutil
import sqlite3
import sys
import tempfile
import threading
import time
import urllib.parse
from datetime import datetime

import harness

K = 100                     # triples per update or import batch
LEASE = "1h"                # no lease can run out during the test
MS = "https://w3id.org/registryd/ms#"
BATCH = "urn:crash:batch"   # predicate of every batch triple; the object is the batch's marker
UPDATE_GRAPHS = [f"urn:crash:update:{n}" for n in range(4)]
IMPORT_GRAPHS = [f"urn:crash:import:{n}" for n in range(4)]
POLICY_NAMES = ["crash-a", "crash-b"]

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("binary")
parser.add_argument("--kills", type=int, default=100)
parser.add_argument("--seed", type=int, default=None)
options = parser.parse_args()
seed = options.seed if options.seed is not None else random.randrange(1 << 30)
print(f"crash-safety: seed {seed}, {options.kills} kills")
rng = random.Random(seed)

checks = harness.Checks("crash-safety")
check = checks.check
data = tempfile.mkdtemp(prefix="registryd-crash-")


def call(base, method, path, body=None, token=None, content_type=None, headers=None):
    return harness.call(base, method, path, body, token, headers, content_type)


def sparql(base, token, query):
    """SELECT bindings (list of dicts of plain values), without reasoning."""
    form = urllib.parse.urlencode({"query": query, "reasoning": "false"})
    status, _, body = call(base, "POST", "/sparql", form, token, "application/x-www-form-urlencoded",
                           {"Accept": "application/sparql-results+json"})
    if status != 200 or not isinstance(body, dict):
        raise RuntimeError(f"SPARQL query answered {status}: {str(body)[:300]}")
    return [{name: value["value"] for name, value in row.items()} for row in body["results"]["bindings"]]


def millis(stamp):
    """RFC 3339 → milliseconds since 1970."""
    return int(datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp() * 1000)


# --- what is sent ---

def manifest(reg_id, name, version):
    """A manifest whose content depends on the version (so a replacement is visible everywhere)."""
    objects = []
    for o in range(3):
        objects.append({"name": f"{name}/obj{o}", "label": f"object {o} of {version}",
                        "methods": [{"name": f"m{m}", "outputs": [{"name": "v", "type": "xsd:decimal"}],
                                     "endpoints": [{"protocol": "rest",
                                                    "url": f"http://10.9.{o}.{m}:8080/{reg_id}/{version}/m{m}"}]}
                                    for m in range(2)],
                        "channels": [{"name": "events", "endpoints": [
                            {"protocol": "mqtt", "broker": "mqtt://10.9.0.1:1883", "topic": f"{reg_id}/{version}/o{o}"}]}]})
    return {"name": name, "version": version, "label": f"{reg_id} {version}",
            "instance": {"id": reg_id, "tier": "edge", "weight": 50, "ttl": LEASE},
            "objects": objects}


def policy_text(name, serial):
    return (f"# {name} #{serial}\n"
            f'{name}-{serial}: permit call on "crash.example/{name}/S{serial}/*";\n'
            f'limit call on "crash.example/{name}/**" to {serial % 50 + 1} msg/s;\n')


def turtle(marker, subject_base):
    return "".join(f'<{subject_base}/{i}> <{BATCH}> "{marker}" .\n' for i in range(K))


def rdfxml(marker, subject_base):
    rows = "".join(f'  <rdf:Description rdf:about="{subject_base}/{i}"><c:batch>{marker}</c:batch></rdf:Description>\n'
                   for i in range(K))
    return ('<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            f'xmlns:c="urn:crash:">\n{rows}</rdf:RDF>\n')


# --- the model: what must be there ---

class Registration:
    """One registration id. `state` is None (absent) or (version, health); `pending` is the op
    whose answer never came, as the state it would leave."""

    def __init__(self, reg_id, name):
        self.id, self.name = reg_id, name
        self.state, self.pending, self.lease = None, None, 0
        self.dead = False  # deregistered (acknowledged): never used again, must stay gone

    def allowed(self):
        return [self.state] + ([self.pending[1]] if self.pending else [])


class GraphModel:
    """A named graph of batches: `batches` the markers definitely in it, `pending` ('put'|'post'|'drop', marker)."""

    def __init__(self, graph):
        self.graph, self.batches, self.pending = graph, frozenset(), None

    def allowed(self):
        sets = [self.batches]
        if self.pending:
            kind, marker = self.pending
            sets.append({"put": frozenset([marker]), "drop": frozenset()}.get(kind, self.batches | {marker}))
        return sets


class PolicyModel:
    def __init__(self, name):
        self.name, self.text, self.pending, self.generation = name, None, None, 0

    def allowed(self):
        return [self.text] + ([self.pending[0]] if self.pending else [])


acked = {kind: 0 for kind in ["register", "replace", "lease", "health", "deregister", "update", "import", "policy"]}
unanswered = {kind: 0 for kind in acked}
in_flight = {"applied": 0, "not applied": 0}  # unanswered writes, as found after the restart
refused = []  # (kind, status, body) of writes answered with an error during the load
counter_lock = threading.Lock()
serial = iter(range(1, 1 << 62))


def next_serial():
    with counter_lock:
        return next(serial)


def ack(kind):
    with counter_lock:
        acked[kind] += 1


def lost(kind):
    with counter_lock:
        unanswered[kind] += 1


def refuse(kind, status, body):
    with counter_lock:
        refused.append((kind, status, str(body)[:300]))


registrations = {}      # id -> Registration
registration_owner = {}  # id -> worker number
update_graphs = {g: GraphModel(g) for g in UPDATE_GRAPHS}
import_graphs = {g: GraphModel(g) for g in IMPORT_GRAPHS}
policies = {n: PolicyModel(n) for n in POLICY_NAMES}
calibrated = {}         # health -> triples in a registration graph


# --- the writers (each returns when the daemon stops answering or `stop` is set) ---

def registration_writer(worker, base, token, stop, wrng):
    mine = [r for r in registrations.values() if registration_owner[r.id] == worker and not r.dead]
    while not stop.is_set():
        live = [r for r in mine if r.state is not None]
        roll = wrng.random()
        if len(live) > 12:
            roll = 0.95  # keep the store small enough for quick verification: deregister
        if len(live) < 3 or roll < 0.2:
            n = next_serial()
            reg = Registration(f"crash-{worker}-{n}", f"crash.example/W{worker}/S{n}")
            registrations[reg.id], registration_owner[reg.id] = reg, worker
            mine.append(reg)
            kind, new = "register", ("1.0.0", "ok")
            request = ("POST", "/v1/services", manifest(reg.id, reg.name, "1.0.0"))
        else:
            reg = wrng.choice(live)
            version, health = reg.state
            if roll < 0.45:
                major = int(version.split(".")[0]) + 1
                new_version = f"{major}.0.0"
                # the manifest gives no health: a replacement is healthy again
                kind, new = "replace", (new_version, "ok")
                if wrng.random() < 0.5:
                    request = ("POST", "/v1/services", manifest(reg.id, reg.name, new_version))
                else:
                    request = ("PUT", f"/v1/services/{reg.id}", manifest(reg.id, reg.name, new_version))
            elif roll < 0.65:
                status = wrng.choice([h for h in ["ok", "degraded", "broken"] if h != health])
                kind, new = "health", (version, status)
                request = ("PUT", f"/v1/services/{reg.id}/health", {"status": status})
            elif roll < 0.88:
                kind, new = "lease", reg.state
                request = ("PUT", f"/v1/services/{reg.id}/lease", None)
            else:
                kind, new = "deregister", None
                request = ("DELETE", f"/v1/services/{reg.id}", None)
        reg.pending = (kind, new)
        try:
            status, _, body = call(base, *request, token=token)
        except Exception:
            lost(kind)
            return  # the daemon is gone; `pending` stays: maybe applied, maybe not
        reg.pending = None
        if 200 <= status < 300:
            ack(kind)
            reg.state = new
            if kind == "lease" and isinstance(body, dict) and isinstance(body.get("expires"), str):
                reg.lease = max(reg.lease, millis(body["expires"]))
            if kind == "deregister":
                reg.dead = True
                mine.remove(reg)
        else:
            refuse(kind, status, body)


def graph_writer(kind, base, token, stop, wrng):
    models = update_graphs if kind == "update" else import_graphs
    while not stop.is_set():
        model = models[wrng.choice(sorted(models))]
        n = next_serial()
        marker = f"{kind}-{n}"
        subjects = f"urn:crash:s:{marker}"
        if kind == "update" and len(model.batches) > 8 and wrng.random() < 0.3:
            op = "drop"  # the graph emptied in one update (bounds the store's growth)
            request = ("POST", "/update", f"DROP SILENT GRAPH <{model.graph}>", "application/sparql-update")
        elif kind == "update":
            op = "post"
            triples = "".join(f'<{subjects}/{i}> <{BATCH}> "{marker}" . ' for i in range(K))
            request = ("POST", "/update", f"INSERT DATA {{ GRAPH <{model.graph}> {{ {triples} }} }}",
                       "application/sparql-update")
        else:
            op = "put" if wrng.random() < 0.3 else "post"
            if wrng.random() < 0.5:
                document, content_type = turtle(marker, subjects), "text/turtle"
            else:
                document, content_type = rdfxml(marker, subjects), "application/rdf+xml"
            request = (op.upper(), "/rdf-graphs?graph=" + urllib.parse.quote(model.graph, safe=""), document, content_type)
        model.pending = (op, marker)
        method, path, body, content_type = request
        try:
            status, _, answer = call(base, method, path, body, token, content_type)
        except Exception:
            lost(kind)
            return
        model.pending = None
        if 200 <= status < 300:
            ack(kind)
            model.batches = {"put": frozenset([marker]), "drop": frozenset()}.get(op, model.batches | {marker})
        else:
            refuse(kind, status, answer)


def policy_writer(base, token, stop, wrng):
    while not stop.is_set():
        model = policies[wrng.choice(POLICY_NAMES)]
        text = policy_text(model.name, next_serial())
        model.pending = (text,)
        try:
            status, _, body = call(base, "PUT", f"/v1/policies/{model.name}", text, token, "text/plain")
        except Exception:
            lost("policy")
            return
        model.pending = None
        if 200 <= status < 300:
            ack("policy")
            model.text = text
            if isinstance(body, dict) and isinstance(body.get("generation"), int):
                model.generation = max(model.generation, body["generation"])
        else:
            refuse("policy", status, body)


# --- verification after a restart ---

def observe(base, token):
    """What the restarted daemon holds: registrations, triples per graph, batches per graph, policies."""
    status, _, listing = call(base, "GET", "/v1/services", token=token)
    if status != 200:
        raise RuntimeError(f"GET /v1/services answered {status}: {listing}")
    services = {s["id"]: s for s in listing["services"] if s["id"].startswith("crash-")}
    counts = {row["g"]: int(row["n"]) for row in sparql(
        base, token, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")}
    versions = {}
    for row in sparql(base, token, f"SELECT DISTINCT ?g ?v WHERE {{ GRAPH ?g {{ ?x <{MS}version> ?v }} }}"):
        versions.setdefault(row["g"], set()).add(row["v"])
    batches = {}
    for row in sparql(base, token, f"SELECT ?g ?b (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s <{BATCH}> ?b }} }} GROUP BY ?g ?b"):
        batches.setdefault(row["g"], {})[row["b"]] = int(row["n"])
    status, _, policy_set = call(base, "GET", "/v1/policies", token=token)
    if status != 200:
        raise RuntimeError(f"GET /v1/policies answered {status}: {policy_set}")
    texts = {}
    for name in POLICY_NAMES:
        status, _, text = call(base, "GET", f"/v1/policies/{name}", token=token)
        texts[name] = text if status == 200 else None
    return services, counts, versions, batches, policy_set, texts


def content(document):
    """What a manifest says, in a form both the sent and the stored manifest reduce to (the daemon
    answers with the normalized manifest: `url` and `broker` become `address`, CURIEs IRIs)."""
    def endpoints(member):
        return sorted((e.get("protocol"), e.get("address", e.get("url", e.get("broker"))), e.get("topic"))
                      for e in member.get("endpoints", []))
    return (document.get("name"), document.get("version"), document.get("label"),
            (document.get("instance") or {}).get("tier"), (document.get("instance") or {}).get("weight"),
            sorted((o.get("name"), o.get("label"),
                    sorted((m.get("name"), endpoints(m)) for m in o.get("methods", [])),
                    sorted((c.get("name"), endpoints(c)) for c in o.get("channels", [])))
                   for o in document.get("objects", [])))


def registration_graph(reg_id):
    return f"urn:registryd:registration:{reg_id}"


def verify(cycle, base, token, changed):
    """Compares the restarted daemon with the model, then takes what it holds as the new baseline."""
    services, counts, versions, batches, policy_set, texts = observe(base, token)
    where = f"cycle {cycle}"
    for reg in registrations.values():
        seen = services.get(reg.id)
        state = (seen["version"], seen["health"]) if seen else None
        graph = seen.get("graph", registration_graph(reg.id)) if seen else registration_graph(reg.id)
        allowed = reg.allowed()
        check(f"{where}: registration {reg.id} is an acknowledged or in-flight state",
              state in allowed, f"saw {state}, acknowledged {reg.state}, in flight {reg.pending}")
        if reg.pending and reg.pending[1] != reg.state and state in allowed:
            in_flight["applied" if state == reg.pending[1] else "not applied"] += 1
        if state is None:
            check(f"{where}: removed or never stored registration {reg.id} has no graph",
                  counts.get(registration_graph(reg.id), 0) == 0, counts.get(registration_graph(reg.id)))
        else:
            triples = counts.get(graph, 0)
            check(f"{where}: registration {reg.id} graph whole ({state[1]})",
                  triples == calibrated.get(state[1], triples), f"{triples} triples, expected {calibrated.get(state[1])}")
            check(f"{where}: registration {reg.id} graph holds version {state[0]} only",
                  versions.get(graph) == {state[0]}, versions.get(graph))
            expires = millis(seen["lease"]["expires"]) if seen.get("lease") else 0
            check(f"{where}: registration {reg.id} lease no earlier than the last renewal acknowledged",
                  expires >= reg.lease - 1000, f"expires {expires}, renewed to {reg.lease}")
            if reg.id in changed:
                status, _, full = call(base, "GET", f"/v1/services/{reg.id}", token=token)
                sent = content(manifest(reg.id, reg.name, state[0]))
                got = content(full.get("manifest", {}) if isinstance(full, dict) else {})
                check(f"{where}: registration {reg.id} content as sent", status == 200 and got == sent,
                      f"{status}: got {got}, sent {sent}")
        reg.state, reg.pending = state, None
        if seen and seen.get("lease"):
            reg.lease = max(reg.lease, millis(seen["lease"]["expires"]))
    phantom = [i for i in services if i not in registrations]
    check(f"{where}: no registration that was never sent", not phantom, phantom)
    orphans = [g for g in counts if g.startswith(registration_graph("crash-"))
               and g[len(registration_graph("")):] not in services]
    check(f"{where}: no registration graph without its registration", not orphans, orphans)
    for reg in registrations.values():
        if reg.state is None:
            reg.dead = True  # gone (deregistered, or a registration that never landed): not used again

    for models in (update_graphs, import_graphs):
        for model in models.values():
            seen = batches.get(model.graph, {})
            partial = {m: n for m, n in seen.items() if n != K}
            check(f"{where}: every batch in {model.graph} whole ({K} triples)", not partial, partial)
            present = frozenset(seen)
            check(f"{where}: {model.graph} holds the acknowledged batches (and maybe the one in flight)",
                  present in model.allowed(),
                  f"missing {sorted(model.batches - present)[:5]}, unexpected {sorted(present - model.batches)[:5]}, "
                  f"in flight {model.pending}")
            check(f"{where}: {model.graph} holds only batch triples", counts.get(model.graph, 0) == K * len(present),
                  (counts.get(model.graph), len(present)))
            if model.pending and present in model.allowed():
                in_flight["applied" if present != model.batches else "not applied"] += 1
            model.batches, model.pending = present, None
    strays = [g for g in batches if g not in update_graphs and g not in import_graphs]
    check(f"{where}: no batch outside the graphs written", not strays, strays)

    generation = policy_set.get("generation") if isinstance(policy_set, dict) else None
    for model in policies.values():
        text = texts[model.name]
        check(f"{where}: policy {model.name} is the acknowledged or the in-flight text", text in model.allowed(),
              f"saw {str(text)[:80]!r}, acknowledged {str(model.text)[:80]!r}, in flight {model.pending is not None}")
        check(f"{where}: policy generation no lower than acknowledged ({model.generation})",
              isinstance(generation, int) and generation >= model.generation, generation)
        if model.pending and text in model.allowed():
            in_flight["applied" if text == model.pending[0] else "not applied"] += 1
        model.text, model.pending = text, None


def mean(values):
    return sum(values) / max(len(values), 1)


def sqlite_files(directory):
    found = []
    for root, _, files in os.walk(directory):
        for name in files:
            path = os.path.join(root, name)
            try:
                with open(path, "rb") as handle:
                    if handle.read(16) == b"SQLite format 3\x00":
                        found.append(path)
            except OSError:
                pass
    return found


def integrity(path):
    connection = sqlite3.connect(path)
    try:
        return [row[0] for row in connection.execute("PRAGMA integrity_check")]
    finally:
        connection.close()


def integrity_of_copy(directory, what):
    """integrity_check on a copy of each database with its -wal and -shm, as a crash left them."""
    for path in sqlite_files(directory):
        copy = tempfile.mkdtemp(prefix="registryd-crash-copy-")
        try:
            for suffix in ["", "-wal", "-shm"]:
                if os.path.exists(path + suffix):
                    shutil.copy(path + suffix, os.path.join(copy, "db" + suffix))
            result = integrity(os.path.join(copy, "db"))
            check(f"{what}: integrity_check of {os.path.basename(path)} (crashed copy) is ok", result == ["ok"], result[:5])
        finally:
            shutil.rmtree(copy, ignore_errors=True)


# --- the run ---

started = time.monotonic()
daemon = None
try:
    daemon = harness.Daemon(options.binary, data=data)
    base, admin = daemon.base, daemon.admin

    # Calibration: how many triples a registration graph of this manifest shape holds, per health.
    probe = manifest("crash-probe", "crash.example/Probe", "1.0.0")
    status, _, body = call(base, "POST", "/v1/services", probe, token=admin)
    check("calibration registration stored", status == 201, (status, body))
    graph = body.get("graph", registration_graph("crash-probe")) if isinstance(body, dict) else registration_graph("crash-probe")
    for health in ["ok", "degraded", "broken"]:
        status, _, body = call(base, "PUT", "/v1/services/crash-probe/health", {"status": health}, token=admin)
        rows = sparql(base, admin, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        calibrated[health] = int(rows[0]["n"])
    status, _, body = call(base, "DELETE", "/v1/services/crash-probe", token=admin)
    check("calibration registration removed", status == 200, (status, body))
    print(f"crash-safety: a registration graph holds {calibrated} triples; batches of {K} triples")
    status, _, body = call(base, "PUT", "/v1/policies/crash-probe", policy_text("crash-probe", 0), admin, "text/plain")
    check("calibration policy accepted", status == 200, (status, body))
    call(base, "DELETE", "/v1/policies/crash-probe", token=admin)

    cycle_times, restart_times, verify_times = [], [], []
    for cycle in range(1, options.kills + 1):
        cycle_start = time.monotonic()
        stop = threading.Event()
        writers = [threading.Thread(target=registration_writer, args=(w, base, admin, stop, random.Random(rng.random())))
                   for w in range(2)]
        writers += [threading.Thread(target=graph_writer, args=(k, base, admin, stop, random.Random(rng.random())))
                    for k in ["update", "import"]]
        writers.append(threading.Thread(target=policy_writer, args=(base, admin, stop, random.Random(rng.random()))))
        before = {r.id: r.state for r in registrations.values()}
        for writer in writers:
            writer.start()
        time.sleep(rng.uniform(0.05, 1.5))
        daemon.kill()
        stop.set()
        for writer in writers:
            writer.join(timeout=60)
        check(f"cycle {cycle}: writers stopped", not any(w.is_alive() for w in writers))
        if cycle % 10 == 0:
            integrity_of_copy(data, f"cycle {cycle}")
        changed = {r.id for r in registrations.values()
                   if r.id not in before or r.state != before[r.id] or (r.pending and r.pending[0] in ("register", "replace"))}
        restart_start = time.monotonic()
        daemon = harness.Daemon(options.binary, data=data)
        base = daemon.base
        restart_times.append(time.monotonic() - restart_start)
        check(f"cycle {cycle}: restart keeps the admin token", daemon.admin == admin)
        verify_start = time.monotonic()
        verify(cycle, base, admin, changed)
        verify_times.append(time.monotonic() - verify_start)
        cycle_times.append(time.monotonic() - cycle_start)

    # A last load, stopped cleanly this time, then the databases as the daemon left them.
    daemon.stop(keep=True)
    daemon = None
    databases = sqlite_files(data)
    check("the data directory holds an SQLite database", bool(databases), os.listdir(data))
    for path in databases:
        result = integrity(path)
        check(f"integrity_check of {os.path.relpath(path, data)} is ok", result == ["ok"], result[:5])
    elapsed = time.monotonic() - started
    live = sum(1 for r in registrations.values() if r.state is not None)
    print(f"crash-safety: {options.kills} kill/restart cycles in {elapsed:.1f} s "
          f"(mean cycle {mean(cycle_times):.2f} s: restart {mean(restart_times):.2f} s, verification {mean(verify_times):.2f} s)")
    print("crash-safety: acknowledged writes: " + ", ".join(f"{k} {v}" for k, v in acked.items())
          + f"; unanswered at a kill: {sum(unanswered.values())} ({', '.join(f'{k} {v}' for k, v in unanswered.items() if v)}), "
          f"of which found applied {in_flight['applied']}, not applied {in_flight['not applied']} (the rest changed nothing visible)")
    print(f"crash-safety: {live} registrations live, {sum(len(m.batches) for m in update_graphs.values())} update batches, "
          f"{sum(len(m.batches) for m in import_graphs.values())} import batches held, "
          f"policy generation >= {max(m.generation for m in policies.values())}; databases {[os.path.basename(p) for p in databases]}")
    check("no write was refused during the load", not refused, refused[:5])
except Exception as error:  # a crash in the script is a failure, not a silent pass
    import traceback
    traceback.print_exc()
    check("script ran to the end", False, repr(error))
finally:
    if daemon is not None:
        daemon.stop(keep=True)
    shutil.rmtree(data, ignore_errors=True)

checks.finish()
