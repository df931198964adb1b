"""Cluster mode end to end: three etcd members (Debian's etcd-server) and three `registryd serve
--etcd` nodes on loopback, ports chosen at run time.

Each scenario checks what a user of the site would notice: a write through one node is read
through the others within a second; long-polls and decisions on one node follow writes on
another; a node killed with SIGKILL during a mixed write load comes back with every
acknowledged write; the etcd leader's death stops writes for a few seconds at most; without
etcd quorum writes answer 503 while reads go on; concurrent pin flips through different nodes
succeed once per generation; a watcher moved to another node with Last-Event-ID misses and
repeats nothing; a lease expires on time on every node although the node that took the
registration is dead. After each scenario every node's state digest (`/v1/cluster/digest`) is
the same.

usage: cluster.py REGISTRYD_BINARY
"""
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

import linearizability

from harness import Checks, Daemon, call, free_port

binary = sys.argv[1]
checks = Checks("cluster")
ETCD = shutil.which("etcd") or "/usr/bin/etcd"


class Etcd:
    """Three etcd members on loopback, with a short election timeout so that a lost leader is
    replaced in about a second; requests are limited to etcd's default 1.5 MiB."""

    def __init__(self, size=3):
        self.dir = tempfile.mkdtemp(prefix="registryd-etcd-")
        self.members = [{"name": f"e{i}", "client": free_port(), "peer": free_port()} for i in range(size)]
        self.initial = ",".join(f"{m['name']}=http://127.0.0.1:{m['peer']}" for m in self.members)
        for member in self.members:
            self.start(member)
        deadline = time.time() + 30
        while time.time() < deadline and not all(self.healthy(m) for m in self.members):
            time.sleep(0.2)
        if not all(self.healthy(m) for m in self.members):
            self.close()
            raise RuntimeError("etcd did not start")

    def start(self, member):
        url = f"http://127.0.0.1:{member['client']}"
        member["log"] = open(f"{self.dir}/{member['name']}.log", "a")
        member["process"] = subprocess.Popen([
            ETCD, "--name", member["name"], "--data-dir", f"{self.dir}/{member['name']}",
            "--listen-client-urls", url, "--advertise-client-urls", url,
            "--listen-peer-urls", f"http://127.0.0.1:{member['peer']}",
            "--initial-advertise-peer-urls", f"http://127.0.0.1:{member['peer']}",
            "--initial-cluster", self.initial, "--initial-cluster-state", "new",
            "--heartbeat-interval", "50", "--election-timeout", "500"], stdout=member["log"], stderr=member["log"])

    def healthy(self, member):
        try:
            status, _, body = call(f"http://127.0.0.1:{member['client']}", "GET", "/health")
            return status == 200 and isinstance(body, dict) and body.get("health") == "true"
        except OSError:
            return False

    @property
    def urls(self):
        return ",".join(f"http://127.0.0.1:{m['client']}" for m in self.members)

    def leader(self):
        """The member that is leader now (asked of each member that answers)."""
        for member in self.members:
            try:
                status, _, body = call(f"http://127.0.0.1:{member['client']}", "POST", "/v3/maintenance/status", body={})
                if status == 200 and body.get("leader") == body.get("header", {}).get("member_id"):
                    return member
            except OSError:
                continue
        return None

    def signal(self, member, number):
        member["process"].send_signal(number)

    def kill(self, member):
        member["process"].kill()
        member["process"].wait()
        member["log"].close()

    def close(self):
        for member in self.members:
            if member["process"].poll() is None:
                member["process"].send_signal(signal.SIGCONT)
                member["process"].kill()
                member["process"].wait()
            member["log"].close()
        shutil.rmtree(self.dir, ignore_errors=True)


class Site:
    """An etcd cluster and three registryd nodes over it; `token` is the admin token the first
    node created, which every node accepts (tokens are part of the replicated state)."""

    def __init__(self):
        self.etcd = Etcd()
        self.nodes = []
        self.names = []
        self.directories = set()
        for index in range(3):
            self.add_node(f"n{index + 1}")
        self.token = self.nodes[0].admin

    def add_node(self, name, data=None):
        node = Daemon(binary, prefix=f"registryd-cluster-{name}-", data=data,
                      args=["--etcd", self.etcd.urls, "--node", name, "--audit-log", f"{self.etcd.dir}/{name}-audit.jsonl",
                            # A short log, so that compaction runs during the test and a new
                            # node must start from a snapshot.
                            "--cluster-log-retain", "20", "--cluster-compact-interval", "1"])
        self.directories.add(node.data)
        if name in self.names:
            self.nodes[self.names.index(name)] = node
        else:
            self.nodes.append(node)
            self.names.append(name)
        return node

    def request(self, node, method, path, body=None, content_type=None, headers=None):
        return call(node.base, method, path, body=body, token=self.token, content_type=content_type, headers=headers)

    def converged(self, timeout=10):
        """Waits until every node has applied the log's head (read from `/health`, which is
        cheap; a digest reads the whole store); returns whether they did."""
        deadline = time.time() + timeout
        last = None
        while time.time() < deadline:
            # `?consistent` brings each node to the log's head; the same position on every node
            # twice, 0.3 s apart, means the writes that follow writes (revocations) are done too.
            nodes = [self.request(node, "GET", "/health?consistent")[2].get("node", {}) for node in self.nodes]
            positions = {n.get("applied") for n in nodes}
            if len(positions) == 1 and positions == last:
                return True
            last = positions if len(positions) == 1 else None
            time.sleep(0.3)
        return False

    def check_digests(self, scenario):
        self.converged()
        digests = [self.request(node, "GET", "/v1/cluster/digest")[2] for node in self.nodes]
        same = all(isinstance(d, dict) for d in digests) and len({(d["position"], d["digest"]) for d in digests}) == 1
        checks.check(f"{scenario}: every node's state digest is the same", same, json.dumps(digests))

    def audit_lines(self):
        """Every node's audit log (`serve --audit-log`), as parsed lines."""
        lines = []
        for name in self.names:
            try:
                lines += [json.loads(line) for line in open(f"{self.etcd.dir}/{name}-audit.jsonl")]
            except FileNotFoundError:
                pass
        return lines

    def close(self):
        for node in self.nodes:
            if node.process.poll() is None:
                node.stop()
        # Restarted nodes serve the directory of the node they replace, which they do not own.
        for directory in self.directories:
            shutil.rmtree(directory, ignore_errors=True)
        self.etcd.close()


def manifest(name, instance, ttl=None, tier="edge"):
    body = {"name": name, "version": "1.0.0",
            "instance": {"id": instance, "tier": tier, "weight": 100},
            "objects": [{"name": f"{name}/main",
                         "methods": [{"name": "op", "endpoints": [{"protocol": "rest", "url": "http://10.0.0.1/op", "method": "POST"}]}]}]}
    if ttl:
        body["instance"]["ttl"] = ttl
    return body


def wait_for(predicate, timeout):
    """Polls `predicate` until it is true; returns the seconds it took, or None."""
    started = time.time()
    while time.time() - started < timeout:
        if predicate():
            return time.time() - started
        time.sleep(0.01)
    return None


def visibility_and_followers(site):
    """Writes through each node are read through the others; a long-poll on B wakes for a write
    on A; a policy PUT on A governs a decision on C."""
    worst = 0.0
    for index, writer in enumerate(site.nodes):
        instance = f"vis-{index}"
        status, _, _ = site.request(writer, "POST", "/v1/services", manifest("acme.example/Vis", instance))
        checks.check(f"a registration through node {index + 1} is acknowledged", status == 201, status)
        for other in site.nodes:
            if other is writer:
                continue
            took = wait_for(lambda: site.request(other, "GET", f"/v1/services/{instance}")[0] == 200, 5)
            worst = max(worst, took if took is not None else 99)
    checks.check("every registration is visible on every other node within 1 s", worst < 1.0, f"worst {worst:.3f} s")
    registrations = [line for line in site.audit_lines() if line.get("path") == "/v1/services" and line.get("status") == 201]
    checks.check("each of the three registrations is in one node's audit log, once", len(registrations) == 3, registrations)
    print(f"cluster: slowest visibility on another node {worst * 1000:.0f} ms")

    a, b, c = site.nodes
    _, headers, _ = site.request(b, "GET", "/v1/services")
    index = int(headers["X-Registryd-Index"])
    woke = {}

    def poll():
        started = time.time()
        _, answer, _ = site.request(b, "GET", f"/v1/services?index={index}&wait=20s")
        woke["seconds"], woke["index"] = time.time() - started, int(answer["X-Registryd-Index"])

    poller = threading.Thread(target=poll)
    poller.start()
    time.sleep(0.3)
    site.request(a, "POST", "/v1/services", manifest("acme.example/Poll", "poll-1"))
    poller.join(25)
    checks.check("a long-poll on node B wakes for a write on node A", woke.get("index", 0) > index and woke.get("seconds", 99) < 2, woke)

    site.request(a, "POST", "/v1/services", manifest("shop.example/Cart", "cart-1"))
    decision = {"subject": {"id": "carol"}, "api": "shop.example/Cart", "action": "call"}
    wait_for(lambda: site.request(c, "GET", "/v1/services/cart-1")[0] == 200, 5)
    _, _, before = site.request(c, "POST", "/v1/decisions", decision)
    checks.check("without a policy node C denies", before.get("decision") == "deny", before)
    status, _, _ = site.request(a, "PUT", "/v1/policies/shop", 'permit call on "shop.example/**";\n', content_type="text/plain")
    checks.check("a policy PUT on node A is acknowledged", status == 200, status)
    _, _, after = site.request(c, "POST", "/v1/decisions?consistent", decision)
    checks.check("the policy PUT on node A governs a decision on node C", after.get("decision") == "permit", after)
    status, _, _ = site.request(b, "DELETE", "/v1/policies/shop")
    _, _, removed = site.request(c, "POST", "/v1/decisions?consistent", decision)
    checks.check("its removal through node B is seen by node C", status in (200, 204) and removed.get("decision") == "deny", (status, removed))
    site.check_digests("writes through every node")
    time.sleep(1.2)  # each node reports itself to etcd every second
    status = subprocess.run([binary, "cluster", "status", "--etcd", site.etcd.urls, "--json"], capture_output=True, text=True)
    report = json.loads(status.stdout) if status.returncode == 0 else {}
    members = {m.get("name"): m for m in report.get("members", [])}
    checks.check("`registryd cluster status` lists the three nodes with no lag and one leader",
                 set(members) == {"n1", "n2", "n3"} and all(m.get("lag") == 0 for m in members.values())
                 and sum(1 for m in members.values() if m.get("leader")) == 1, (status.stdout, status.stderr))
    table = subprocess.run([binary, "cluster", "status", "--etcd", site.etcd.urls], capture_output=True, text=True)
    checks.check("`registryd cluster status` prints a table", table.returncode == 0 and "log head:" in table.stdout, table.stdout)
    refused = subprocess.run([binary, "cluster", "status", "--etcd", f"http://127.0.0.1:{free_port()}"], capture_output=True, text=True)
    checks.check("`registryd cluster status` without etcd: one line, non-zero exit",
                 refused.returncode != 0 and len(refused.stderr.strip().splitlines()) == 1, refused.stderr)


class Load:
    """Writers through every node: registrations, replacements, health, SPARQL updates, lease
    renewals and pin flips; each keeps what was acknowledged."""

    def __init__(self, site, tag):
        self.site, self.tag = site, tag
        self.acked = {"registrations": set(), "updates": set(), "policies": []}
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self.run, args=(i,)) for i in range(len(site.nodes))]
        self.times = []

    def run(self, writer):
        number = 0
        while not self.stop.is_set():
            node = self.site.nodes[writer]
            number += 1
            key = f"{self.tag}-{writer}-{number}"
            try:
                kind = number % 5
                if kind in (0, 1):
                    status, _, _ = self.site.request(node, "POST", "/v1/services", manifest(f"load.example/S{writer}", key, ttl="60s"))
                    if status == 201:
                        with self.lock:
                            self.acked["registrations"].add(key)
                            self.times.append(time.time())
                elif kind == 2:
                    update = f"INSERT DATA {{ GRAPH <urn:load> {{ <urn:{key}> <urn:p> [ <urn:q> {number} ] }} }}"
                    status, _, _ = self.site.request(node, "POST", "/update", update, content_type="application/sparql-update")
                    if status == 204:
                        with self.lock:
                            self.acked["updates"].add(key)
                            self.times.append(time.time())
                elif kind == 3:
                    with self.lock:
                        mine = [k for k in self.acked["registrations"] if k.startswith(f"{self.tag}-{writer}-")]
                    if mine:
                        target = mine[-1]
                        self.site.request(node, "PUT", f"/v1/services/{target}/health", {"status": "degraded"})
                        self.site.request(node, "PUT", f"/v1/services/{target}/lease")
                        # A replacement (a new version) and a pin of the name to this instance.
                        replaced = manifest(f"load.example/S{writer}", target, ttl="60s")
                        replaced["version"] = f"1.{number}.0"
                        self.site.request(node, "PUT", f"/v1/services/{target}", replaced)
                        name = urllib.parse.quote(f"load.example/S{writer}")
                        _, _, current = self.site.request(node, "GET", f"/v1/resolve?name={name}")
                        generation = current.get("generation", 0) if isinstance(current, dict) else 0
                        self.site.request(node, "PUT", f"/v1/resolve/pin?name={name}", {"generation": generation, "instances": [target]})
                else:
                    text = f'permit call on "load.example/S{writer}/**" when subject.id == "u{number}";\n'
                    status, _, _ = self.site.request(node, "PUT", f"/v1/policies/load{writer}", text, content_type="text/plain")
                    if status == 200:
                        with self.lock:
                            self.acked["policies"].append((writer, number))
            except OSError:
                time.sleep(0.05)

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *_):
        self.stop.set()
        for thread in self.threads:
            thread.join(60)

    def verify(self, scenario):
        """Every acknowledged write is on every node."""
        site = self.site
        site.converged()
        for index, node in enumerate(site.nodes):
            _, _, listing = site.request(node, "GET", "/v1/services?name=load.example/")
            have = {s["id"] for s in listing.get("services", [])} if isinstance(listing, dict) else set()
            missing = self.acked["registrations"] - have
            checks.check(f"{scenario}: node {index + 1} holds every acknowledged registration ({len(self.acked['registrations'])})",
                         not missing, sorted(missing)[:5])
            query = "SELECT ?s WHERE { GRAPH <urn:load> { ?s <urn:p> ?b . ?b <urn:q> ?n } }"
            _, _, rows = site.request(node, "GET", "/sparql?query=" + urllib.parse.quote(query),
                                      headers={"Accept": "application/sparql-results+json"})
            subjects = {b["s"]["value"][4:] for b in rows["results"]["bindings"]} if isinstance(rows, dict) else set()
            missing = self.acked["updates"] - subjects
            checks.check(f"{scenario}: node {index + 1} holds every acknowledged SPARQL update ({len(self.acked['updates'])})",
                         not missing, sorted(missing)[:5])
            _, _, policies = site.request(node, "GET", "/v1/policies")
            names = {entry["name"] for entry in policies.get("policies", [])} if isinstance(policies, dict) else set()
            wanted = {f"load{w}" for w, _ in self.acked["policies"]}
            checks.check(f"{scenario}: node {index + 1} holds every acknowledged policy", wanted <= names or not wanted,
                         (wanted, names))
        site.check_digests(scenario)


def shared_keys(site):
    """A binding decided on one node verifies against another node's JWKS (joserfc); a rotation
    through a third node changes every node's signing key."""
    import warnings
    from joserfc import jwt as jose_jwt
    from joserfc.jwk import KeySet
    warnings.filterwarnings("ignore", message=".*EdDSA is deprecated.*")
    a, b, c = site.nodes
    site.request(a, "PUT", "/v1/policies/keys", 'permit call on "shop.example/**";\n', content_type="text/plain")
    decision = {"subject": {"id": "kim"}, "api": "shop.example/Cart", "action": "call"}
    _, _, permit = site.request(a, "POST", "/v1/decisions", decision)
    token = permit.get("binding") if isinstance(permit, dict) else None
    jwks = [site.request(node, "GET", "/.well-known/jwks.json")[2] for node in site.nodes]
    checks.check("every node publishes the same JWKS", all(j == jwks[0] for j in jwks), jwks)
    try:
        jose_jwt.decode(token, KeySet.import_key_set(jwks[2]), algorithms=["EdDSA"])
        verified = True
    except Exception as error:  # any failure to verify is the finding
        verified = repr(error)
    checks.check("a binding issued by node A verifies against node C's JWKS", verified is True, verified)
    status, _, rotated = site.request(b, "POST", "/v1/keys/rotate")
    checks.check("a key rotation through node B", status == 200, (status, rotated))
    kid = rotated.get("kid") if isinstance(rotated, dict) else None
    site.converged()
    _, _, again = site.request(c, "POST", "/v1/decisions", {"subject": {"id": "lee"}, "api": "shop.example/Cart", "action": "call"})
    header = json.loads(__import__("base64").urlsafe_b64decode(again["binding"].split(".")[0] + "==")) if isinstance(again, dict) and again.get("binding") else {}
    checks.check("after the rotation through node B, node C signs with the new key", header.get("kid") == kid, (header, kid))
    site.request(a, "DELETE", "/v1/policies/keys")
    site.check_digests("shared keys")


def large_import(site):
    """A Graph Store PUT far above etcd's request limit, through node A: node C sees none of it
    or all of it, never a part."""
    triples = 60_000
    text = "".join(f"<urn:big:{i}> <urn:big:p> \"value {i} {'x' * 40}\" .\n" for i in range(triples))
    counts, stop = [], threading.Event()
    query = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <urn:big> { ?s ?p ?o } }"

    def watch():
        while not stop.is_set():
            _, _, rows = site.request(site.nodes[2], "GET", "/sparql?query=" + urllib.parse.quote(query),
                                      headers={"Accept": "application/sparql-results+json"})
            if isinstance(rows, dict):
                counts.append(int(rows["results"]["bindings"][0]["n"]["value"]))

    watcher = threading.Thread(target=watch)
    watcher.start()
    started = time.time()
    status, _, body = site.request(site.nodes[0], "PUT", "/rdf-graphs?graph=" + urllib.parse.quote("urn:big"), text,
                                   content_type="application/n-triples")
    took = time.time() - started
    checks.check(f"a {len(text) >> 20} MiB import through node A is acknowledged", status in (200, 201, 204), (status, body))
    wait_for(lambda: bool(counts) and counts[-1] == triples, 20)
    stop.set()
    watcher.join()
    checks.check("node C saw the import whole or not at all", set(counts) <= {0, triples} and counts[-1] == triples,
                 sorted(set(counts))[:10])
    print(f"cluster: {len(text) >> 20} MiB ({triples} triples) imported through one node in {took:.1f} s; "
          f"{len(counts)} counts read on another meanwhile")
    site.check_digests("large import")


def node_crash(site):
    """kill -9 of a registryd node during a mixed write load, then a restart on its data."""
    with Load(site, "crash") as load:
        time.sleep(1.5)
        victim = site.nodes[1]
        victim.kill()
        time.sleep(1.0)
        site.add_node("n2", data=victim.data)
        time.sleep(1.0)
    checks.check("node crash: writes were acknowledged during the load", len(load.acked["registrations"]) > 10,
                 len(load.acked["registrations"]))
    shutil.copytree(site.nodes[0].data, site.nodes[0].data + "-copy", ignore=shutil.ignore_patterns("store.lock"))
    offline = subprocess.run([binary, "token", "create", "--scope", "query", "--data", site.nodes[0].data + "-copy"],
                             capture_output=True, text=True)
    shutil.rmtree(site.nodes[0].data + "-copy", ignore_errors=True)
    checks.check("an offline write to a node's data directory is refused in one line", offline.returncode != 0
                 and "cluster node" in offline.stderr and len(offline.stderr.strip().splitlines()) == 1, offline.stderr)
    load.verify("node crash")


def etcd_leader_crash(site):
    """kill -9 of the etcd leader during writes: writes resume within 5 s, none is lost."""
    leader = site.etcd.leader()
    checks.check("etcd has a leader", leader is not None)
    if leader is None:
        return
    with Load(site, "leader") as load:
        time.sleep(1.0)
        killed_at = time.time()
        site.etcd.kill(leader)
        time.sleep(6.0)
    after = sorted(t for t in load.times if t > killed_at)
    gap = (after[0] - killed_at) if after else 99
    checks.check("etcd leader killed: writes resume within 5 s", gap < 5, f"first acknowledged write {gap:.2f} s after the kill")
    print(f"cluster: first acknowledged write {gap * 1000:.0f} ms after kill -9 of the etcd leader")
    load.verify("etcd leader crash")
    site.etcd.start(leader)
    wait_for(lambda: site.etcd.healthy(leader), 20)


def quorum_loss(site):
    """Two of three etcd members stopped: writes 503, reads go on and say how stale; back: writes resume."""
    node = site.nodes[0]
    stopped = [m for m in site.etcd.members][1:]
    for member in stopped:
        site.etcd.signal(member, signal.SIGSTOP)
    try:
        time.sleep(1.0)
        started = time.time()
        status, _, body = site.request(node, "POST", "/v1/services", manifest("acme.example/NoQuorum", "nq-1"))
        checks.check("without quorum a write answers 503 cluster.unavailable",
                     status == 503 and isinstance(body, dict) and body.get("error", {}).get("code") == "cluster.unavailable",
                     (status, body))
        print(f"cluster: a write without quorum failed after {time.time() - started:.1f} s")
        status, headers, _ = site.request(site.nodes[1], "GET", "/v1/services/vis-0")
        checks.check("without quorum reads go on, saying how stale they may be",
                     status == 200 and int(headers.get("X-Registryd-Last-Contact", "-1")) >= 0, (status, dict(headers)))
        status, _, _ = site.request(site.nodes[2], "GET", "/v1/services?consistent")
        checks.check("without quorum a ?consistent read answers 503", status == 503, status)
    finally:
        for member in stopped:
            site.etcd.signal(member, signal.SIGCONT)
    took = wait_for(lambda: site.request(node, "POST", "/v1/services", manifest("acme.example/NoQuorum", "nq-2"))[0] == 201, 20)
    checks.check("quorum back: writes resume", took is not None, took)
    # A write etcd did not confirm may still take effect once it has quorum again (its outcome is
    # unknown, as with etcd's own "request timed out"): every node must then agree on it.
    seen = {site.request(node, "GET", "/v1/services/nq-1?consistent")[0] for node in site.nodes}
    checks.check("the write refused without quorum is on every node or on none", seen in ({200}, {404}), seen)
    site.check_digests("quorum loss")


def pin_flips(site):
    """Concurrent compare-and-swap pin flips and `?consistent` resolves through every node: one
    success per generation, and the whole history (reads included) passes a Porcupine-style
    linearizability check against the model of a compare-and-swap register."""
    failures = linearizability.self_check()
    checks.check("the linearizability checker accepts and refuses known histories", not failures, failures)
    for instance in ("blue", "green"):
        site.request(site.nodes[0], "POST", "/v1/services", manifest("acme.example/Pinned", f"pin-{instance}"))
    site.converged()
    name = urllib.parse.quote("acme.example/Pinned")
    history, ops = [], []
    lock = threading.Lock()

    def read(node):
        """(generation, instances) as a node resolves them after applying the cluster's head; None on failure."""
        status, _, current = site.request(node, "GET", f"/v1/resolve?name={name}&consistent")
        if status != 200 or not isinstance(current, dict):
            return None
        return current.get("generation", 0), frozenset(e.get("instance") for e in current.get("endpoints", []))

    initial = read(site.nodes[0])

    def flipper(index):
        node = site.nodes[index % 3]
        for attempt in range(30):
            called = time.monotonic()
            seen = read(node)
            if seen is not None:
                with lock:
                    ops.append(linearizability.Op(called, time.monotonic(), ("read",), seen))
            generation = seen[0] if seen else 0
            target = ["pin-blue", "pin-green"][(index + attempt) % 2]
            called = time.monotonic()
            status, _, answer = site.request(node, "PUT", f"/v1/resolve/pin?name={name}", {"generation": generation, "instances": [target]})
            returned = time.monotonic()
            with lock:
                history.append((generation, status, answer.get("generation") if isinstance(answer, dict) else None))
                # Neither 200 nor 409: the outcome is unknown (it may take effect later, or never).
                ops.append(linearizability.Op(called, returned if status in (200, 409) else None, ("cas", generation, target),
                                              status != 409))

    threads = [threading.Thread(target=flipper, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    wins = [(expected, new) for expected, status, new in history if status == 200]
    by_expected = {}
    for expected, new in wins:
        by_expected.setdefault(expected, []).append(new)
    checks.check("pin flips: exactly one flip succeeds per generation", all(len(v) == 1 for v in by_expected.values()),
                 {k: v for k, v in by_expected.items() if len(v) > 1})
    model = linearizability.pin_register(*initial) if initial else None
    started = time.monotonic()
    linear, ordered = linearizability.linearizable(ops, *model) if model else (False, [])
    checks.check(f"pin flips: the history of {len(ops)} flips and consistent reads through 3 nodes is linearizable",
                 linear, f"ordered {len(ordered)} of {len(ops)}; initial {initial}")
    losers = [status for _, status, _ in history if status != 200]
    checks.check("pin flips: the others lose with 409", all(s == 409 for s in losers), set(losers))
    flips = [line for line in site.audit_lines() if line.get("path") == "/v1/resolve/pin"]
    forwarded = [line for line in flips if line.get("forwarded_by")]
    checks.check("pin flips: each is audited once; those forwarded, by the leader, naming the node and the client's address",
                 len(flips) == len(history) and forwarded and all(line.get("forwarded_for") == "127.0.0.1"
                                                                 and line.get("forwarded_by") in site.names for line in forwarded),
                 (len(flips), len(history), len(forwarded)))
    print(f"cluster: {len(wins)} pin flips succeeded, {len(losers)} lost the race, through 3 nodes; "
          f"{len(ops)} operations checked for linearizability in {time.monotonic() - started:.2f} s")
    site.check_digests("pin flips")


def read_events(node, token, headers, seconds):
    """The ids and types of the Server-Sent Events a node sends within `seconds`."""
    connection = http.client.HTTPConnection("127.0.0.1", node.port, timeout=seconds)
    connection.request("GET", "/v1/events", headers={"Authorization": f"Bearer {token}", **headers})
    response = connection.getresponse()
    events, deadline, buffer = [], time.time() + seconds, b""
    response.fp.raw._sock.settimeout(0.2)
    while time.time() < deadline:
        try:
            chunk = response.fp.read1(65536)
        except (TimeoutError, OSError):
            continue
        if not chunk:
            break
        buffer += chunk
    connection.close()
    for block in buffer.decode().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.split("\n") if ": " in line and not line.startswith(":"))
        if "id" in fields:
            events.append((int(fields["id"]), fields.get("event")))
    return events


def watcher_moves(site):
    """A watcher reads node A's stream, then moves to node B with Last-Event-ID: every change
    once, in order."""
    a, b = site.nodes[0], site.nodes[1]
    _, headers, _ = site.request(a, "GET", "/v1/services")
    start = int(headers["X-Registryd-Index"])
    for number in range(5):
        site.request(site.nodes[number % 3], "POST", "/v1/services", manifest("acme.example/Watched", f"w-{number}"))
    first = read_events(a, site.token, {"Last-Event-ID": str(start)}, 1.5)
    last_seen = first[-1][0] if first else start
    for number in range(5, 10):
        site.request(site.nodes[number % 3], "POST", "/v1/services", manifest("acme.example/Watched", f"w-{number}"))
    site.converged()
    second = read_events(b, site.token, {"Last-Event-ID": str(last_seen)}, 1.5)
    ids = [i for i, _ in first + second]
    _, headers, _ = site.request(a, "GET", "/v1/services")
    end = int(headers["X-Registryd-Index"])
    checks.check("a watcher moved to another node with Last-Event-ID sees every change once, in order",
                 ids == list(range(start + 1, end + 1)) and len(first) >= 5, (start, end, ids))


def election(site):
    """One node at a time does the site's once-only work (health checks); when it dies another
    takes over within a few seconds."""
    def leaders():
        found = []
        for index, node in enumerate(site.nodes):
            if node.process.poll() is not None:
                continue
            status, _, body = site.request(node, "GET", "/health")
            if status == 200 and body.get("node", {}).get("leader"):
                found.append(index)
        return found

    wait_for(lambda: len(leaders()) == 1, 10)
    first = leaders()
    checks.check("exactly one node holds the election", len(first) == 1, first)
    if len(first) != 1:
        return
    victim = site.nodes[first[0]]
    name = site.names[first[0]]
    victim.kill()
    took = wait_for(lambda: len(leaders()) == 1, 15)
    checks.check("when the leading node dies another takes over within 6 s", took is not None and took < 6, took)
    print(f"cluster: a new node led {took if took is None else round(took, 2)} s after the leading node was killed")
    site.add_node(name, data=victim.data)
    wait_for(lambda: len(leaders()) == 1, 10)
    checks.check("after the restart still exactly one node leads", len(leaders()) == 1, leaders())


def lease_after_node_death(site):
    """An instance registered through node C with a lease; C is killed; the lease expires on A
    and B within 1 s of its deadline. A renewal through another node keeps it alive there."""
    a, b, c = site.nodes
    status, _, kept = site.request(c, "POST", "/v1/services", manifest("acme.example/Leased", "leased-kept", ttl="3s"))
    checks.check("a second registration with a 3 s lease through node C", status == 201, kept)
    status, _, registered = site.request(c, "POST", "/v1/services", manifest("acme.example/Leased", "leased-1", ttl="3s"))
    checks.check("a registration with a 3 s lease through node C", status == 201, registered)
    wait_for(lambda: all(site.request(node, "GET", "/v1/services/leased-1")[0] == 200 for node in (a, b)), 2)
    c.kill()
    # Renewed through node A only: nodes A and B must both keep it past its first deadline.
    renewer_stop = threading.Event()

    renewals = []

    def renew():
        while not renewer_stop.is_set():
            try:
                renewals.append((round(time.time() % 1000, 3), site.request(a, "PUT", "/v1/services/leased-kept/lease")[0]))
            except OSError:
                pass
            time.sleep(0.5)

    renewer = threading.Thread(target=renew)
    renewer.start()
    deadline = time.time() + 3.0
    if isinstance(registered, dict) and isinstance(registered.get("lease"), dict):
        from datetime import datetime
        deadline = datetime.fromisoformat(registered["lease"]["expires"].replace("Z", "+00:00")).timestamp()
    gone = {}
    for name, node in (("A", a), ("B", b)):
        def expired(node=node):
            return site.request(node, "GET", "/v1/services/leased-1")[0] == 404
        took = wait_for(expired, 8)
        gone[name] = time.time() - deadline if took is not None else None
    late = [v for v in gone.values() if v is None or v > 1.0 or v < -0.2]
    checks.check("the lease expires on every live node within 1 s of its deadline although its node is dead",
                 not late, {k: (round(v, 3) if v is not None else None) for k, v in gone.items()})
    time.sleep(max(0, deadline + 1.5 - time.time()))
    alive = [site.request(node, "GET", "/v1/services/leased-kept")[0] for node in (a, b)]
    renewer_stop.set()
    renewer.join()
    checks.check("a lease renewed through node A is kept by node B too", alive == [200, 200],
                 (alive, round(deadline % 1000, 3), renewals))
    print(f"cluster: lease expiry after its node died, seconds past the deadline: {gone}")
    # Removed, so that no expiry is on its way while the digests are compared.
    site.request(a, "DELETE", "/v1/services/leased-kept")
    site.add_node("n3", data=c.data)
    site.check_digests("lease expiry")


def new_node_from_snapshot(site):
    """The log was compacted (only its newest entries are in etcd): a new node starts from
    another node's snapshot, then follows the log like the others."""
    for number in range(40):
        site.request(site.nodes[number % 3], "POST", "/v1/services", manifest("acme.example/Late", f"late-{number}"))
    import base64
    start_key = base64.b64encode(b"/registryd/log-start").decode()
    def log_start():
        _, _, body = call(f"http://127.0.0.1:{site.etcd.members[0]['client']}", "POST", "/v3/kv/range", body={"key": start_key})
        kvs = body.get("kvs", []) if isinstance(body, dict) else []
        return int(base64.b64decode(kvs[0]["value"])) if kvs else 1
    wait_for(lambda: log_start() > 30, 15)
    start = log_start()
    checks.check("the leading node compacted the log", start > 30, start)
    started = time.time()
    newcomer = site.add_node("n4")
    print(f"cluster: a new node started from a snapshot in {time.time() - started:.1f} s (log start {start})")
    status, _, listing = site.request(newcomer, "GET", "/v1/services?name=acme.example/Late")
    checks.check("the new node holds what was written before the log's start", status == 200
                 and len(listing.get("services", [])) == 40, (status, str(listing)[:200]))
    site.request(site.nodes[0], "POST", "/v1/services", manifest("acme.example/Late", "late-after"))
    took = wait_for(lambda: site.request(newcomer, "GET", "/v1/services/late-after")[0] == 200, 5)
    checks.check("then it follows the log", took is not None, took)
    site.check_digests("a new node from a snapshot")


def make_certificates(directory):
    """A CA, a certificate for 127.0.0.1 signed by it, and a client certificate (openssl)."""
    def run(*arguments):
        subprocess.run(["openssl", *arguments], cwd=directory, check=True, capture_output=True)
    run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2", "-subj", "/CN=test CA",
        "-keyout", "ca.key", "-out", "ca.pem")
    # etcd's own gateway dials its gRPC port with the server certificate: it is a client too.
    for name, usage in (("server", "serverAuth,clientAuth"), ("client", "clientAuth")):
        with open(f"{directory}/{name}.ext", "w") as file:
            file.write(f"subjectAltName=IP:127.0.0.1\nextendedKeyUsage={usage}\n")
        run("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", f"/CN={name}",
            "-keyout", f"{name}.key", "-out", f"{name}.csr")
        run("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2",
            "-extfile", f"{name}.ext", "-out", f"{name}.pem")


def etcd_tls(site):
    """Nodes reach an etcd that serves TLS and asks clients for certificates (--etcd-ca,
    --etcd-cert, --etcd-key): writes replicate through it; without a client certificate a node
    does not start, and says why."""
    directory = tempfile.mkdtemp(prefix="registryd-etcd-tls-")
    etcd, nodes = None, []
    try:
        make_certificates(directory)
        client, peer = free_port(), free_port()
        url = f"https://127.0.0.1:{client}"
        log = open(f"{directory}/etcd.log", "w")
        etcd = subprocess.Popen([ETCD, "--name", "tls", "--data-dir", f"{directory}/data", "--listen-client-urls", url,
                                 "--advertise-client-urls", url, "--listen-peer-urls", f"http://127.0.0.1:{peer}",
                                 "--initial-advertise-peer-urls", f"http://127.0.0.1:{peer}",
                                 "--initial-cluster", f"tls=http://127.0.0.1:{peer}",
                                 "--cert-file", f"{directory}/server.pem", "--key-file", f"{directory}/server.key",
                                 "--trusted-ca-file", f"{directory}/ca.pem", "--client-cert-auth"], stdout=log, stderr=log)
        tls = ["--etcd-ca", f"{directory}/ca.pem", "--etcd-cert", f"{directory}/client.pem", "--etcd-key", f"{directory}/client.key"]
        deadline = time.time() + 20
        while time.time() < deadline and not nodes:
            try:
                nodes.append(Daemon(binary, prefix="registryd-cluster-tls-", args=["--etcd", url, "--node", "t1", *tls]))
            except RuntimeError:
                time.sleep(0.5)  # etcd still starting
        checks.check("etcd TLS: a node starts over an etcd that requires client certificates", bool(nodes), open(f"{directory}/etcd.log").read()[-800:])
        if not nodes:
            return
        nodes.append(Daemon(binary, prefix="registryd-cluster-tls-", args=["--etcd", url, "--node", "t2", *tls]))
        first, second = nodes
        status, _, _ = call(first.base, "POST", "/v1/services", manifest("tls.example/Secure", "secure-1"), token=first.admin)
        seen = wait_for(lambda: call(second.base, "GET", "/v1/services/secure-1", token=first.admin)[0] == 200, 5)
        checks.check("etcd TLS: a registration on one node is visible on the other", status == 201 and seen is not None, (status, seen))
        without = subprocess.run([binary, "serve", "--port", "0", "--data", f"{directory}/t3", "--etcd", url, "--node", "t3",
                                  "--etcd-ca", f"{directory}/ca.pem"], capture_output=True, text=True, timeout=60)
        checks.check("etcd TLS: without a client certificate a node does not start, says it cannot reach etcd, and exits cleanly",
                     without.returncode != 0 and "etcd" in without.stderr and "Fatal error" not in without.stderr, (without.returncode, without.stderr[-500:]))
        print(f"cluster: etcd TLS refusal: {without.stderr.strip().splitlines()[-1] if without.stderr.strip() else ''}")
    finally:
        for node in nodes:
            node.stop()
        if etcd:
            etcd.kill()
            etcd.wait()
        shutil.rmtree(directory, ignore_errors=True)


def main():
    if not os.path.exists(ETCD):
        checks.check("etcd is installed (Debian etcd-server)", False, ETCD)
        checks.finish()
    site = Site()
    try:
        scenarios = (visibility_and_followers, shared_keys, large_import, pin_flips, watcher_moves, node_crash, quorum_loss,
                     etcd_leader_crash, election, lease_after_node_death, new_node_from_snapshot, etcd_tls)
        # CLUSTER_SCENARIOS=pin_flips,quorum_loss runs only those (while working on one).
        chosen = os.environ.get("CLUSTER_SCENARIOS")
        for scenario in [s for s in scenarios if not chosen or s.__name__ in chosen.split(",")]:
            started = time.time()
            try:
                scenario(site)
            except Exception as error:  # a scenario that breaks must not hide the others
                checks.check(f"{scenario.__name__} ran", False, repr(error))
            print(f"cluster: {scenario.__name__} took {time.time() - started:.1f} s")
    finally:
        site.close()
    checks.finish()


main()
