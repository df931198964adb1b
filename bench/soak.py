"""Load and soak: a mixed load at fixed rates against a real `registryd serve` on loopback, then a
search for the saturation point.

Soak (`--minutes`, default 10): registrations, heartbeats, resolves, decisions, SPARQL queries
and health changes, each from its own thread at a fixed rate on a keep-alive connection, plus a
watcher reading `/v1/events`. Every answer must be 2xx; the watcher must see every change (its
last event index reaches the daemon's). Resident memory (VmRSS) is sampled every 5 s; growth is
measured from the end of the warm-up (`--warm-up`, 120 s: the daemon runs with
`--binding-ttl 60` and `--event-retention 2000`, so the bindings and recent changes it keeps in
memory reach their steady number by then) to the end. Prints p50/p99 per operation.

Saturation (`--saturate`): wrk drives POST /v1/decisions with more and more connections against a
daemon started with `--max-in-flight` and `--max-connections`; each step reports requests/s,
answers by status, and RSS. Past the limits the daemon answers 503 quickly (and, with
`--rate-limit`, 429) rather than queueing without bound; after each step a plain request must
succeed at once (recovery) and the process must be alive.

    python3 bench/soak.py .build/release/registryd --minutes 10 --saturate
"""
import argparse
import http.client
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "Tests", "e2e"))
import harness  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("binary")
parser.add_argument("--minutes", type=float, default=10)
parser.add_argument("--saturate", action="store_true")
parser.add_argument("--scale", type=float, default=1.0, help="multiplies every rate")
parser.add_argument("--warm-up", type=float, default=120, help="seconds before memory growth is measured")
options = parser.parse_args()

RATES = {  # requests per second
    "register": 10, "heartbeat": 50, "health": 5, "resolve": 100, "decide": 100, "sparql": 10,
}
SERVICES = 200

POLICY = """
domain Rank = Nurse < AttendingDoctor < SeniorDoctor;
attribute subject.rank : Rank from registry;
ward: permit call on "soak.example/**" when subject.rank >= AttendingDoctor;
"""


def manifest(n, version=1):
    name = f"soak.example/S{n}"
    return {"name": name, "version": f"1.0.{version}",
            "instance": {"id": f"soak-{n}", "host": "h1", "ttl": "10m"},
            "objects": [{"name": name + "/obj", "methods": [{"name": "read", "endpoints": [
                {"protocol": "rest", "url": f"http://10.0.{n // 250}.{n % 250}:8080/read"}]}]}]}


def rss_kib(pid, field="VmRSS"):
    """Resident memory in KiB: VmRSS (all), RssAnon (heap and stacks) or RssFile (mapped files:
    the mmapped database, reclaimable by the kernel)."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


class Client:
    """One keep-alive connection; `send` returns (status, seconds, body bytes)."""

    def __init__(self, port, token):
        self.port, self.token = port, token
        self.connection = None

    def send(self, method, path, body=None, content_type="application/json", accept=None):
        headers = {"Authorization": f"Bearer {self.token}"}
        if body is not None:
            headers["Content-Type"] = content_type
        if accept:
            headers["Accept"] = accept
        data = json.dumps(body).encode() if isinstance(body, (dict, list)) else (body.encode() if isinstance(body, str) else body)
        for attempt in range(2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            start = time.perf_counter()
            try:
                self.connection.request(method, path, body=data, headers=headers)
                response = self.connection.getresponse()
                raw = response.read()
                return response.status, time.perf_counter() - start, raw
            except (http.client.HTTPException, OSError):
                # The server may close an idle keep-alive connection; one retry on a new one.
                self.connection.close()
                self.connection = None
                if attempt == 1:
                    return 0, time.perf_counter() - start, b""


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else float("nan")


def soak(binary, minutes):
    # Bindings live in memory until they expire: a short TTL lets memory reach its steady state
    # within the warm-up.
    daemon = harness.Daemon(binary, prefix="registryd-soak-", args=["--binding-ttl", "60", "--event-retention", "2000"])
    try:
        admin = Client(daemon.port, daemon.admin)
        assert admin.send("PUT", "/v1/policies/soak", POLICY, content_type="text/plain")[0] in (200, 201)
        for subject, rank in [("alice", "SeniorDoctor"), ("bob", "Nurse")]:
            status = admin.send("PUT", f"/v1/subjects/{subject}", {"attributes": {"rank": rank}})[0]
            assert status in (200, 201), status
        for n in range(SERVICES):
            assert admin.send("POST", "/v1/services", manifest(n))[0] in (200, 201)

        duration = minutes * 60
        stop = threading.Event()
        latencies = {name: [] for name in RATES}
        errors = {name: [] for name in RATES}
        lock = threading.Lock()

        def operation(name, n):
            i = n % SERVICES
            if name == "register":
                return "POST", "/v1/services", manifest(i, version=n), "application/json", None
            if name == "heartbeat":
                return "PUT", f"/v1/services/soak-{i}/lease", None, None, None
            if name == "health":
                return "PUT", f"/v1/services/soak-{i}/health", {"status": ["ok", "degraded"][n % 2]}, "application/json", None
            if name == "resolve":
                return "GET", f"/v1/resolve?name=soak.example/S{i}/obj", None, None, None
            if name == "decide":
                return "POST", "/v1/decisions", {"subject": {"id": ["alice", "bob"][n % 2]}, "api": f"soak.example/S{i}/obj/read",
                                                 "action": "call"}, "application/json", None
            return ("POST", "/sparql", "SELECT ?s WHERE { ?s a <https://w3id.org/registryd/ms#Microservice> } LIMIT 50",
                    "application/sparql-query", "application/sparql-results+json")

        def driver(name, rate):
            client = Client(daemon.port, daemon.admin)
            interval, n = 1.0 / rate, 0
            start = time.perf_counter()
            while not stop.is_set():
                due = start + n * interval
                now = time.perf_counter()
                if due > now:
                    time.sleep(due - now)
                method, path, body, content_type, accept = operation(name, n)
                status, seconds, raw = client.send(method, path, body, content_type or "application/json", accept)
                with lock:
                    latencies[name].append(seconds)
                    if not 200 <= status < 300:
                        errors[name].append((status, raw[:200]))
                n += 1

        watched = {"last": 0, "events": 0}
        watcher_stop = threading.Event()

        def watcher():
            connection = http.client.HTTPConnection("127.0.0.1", daemon.port, timeout=60)
            connection.request("GET", "/v1/events?since=0", headers={"Authorization": f"Bearer {daemon.admin}"})
            response = connection.getresponse()
            while not watcher_stop.is_set():
                line = response.fp.readline()
                if not line:
                    break
                if line.startswith(b"id:"):
                    watched["last"] = int(line[3:].strip())
                    watched["events"] += 1
            connection.close()

        threads = [threading.Thread(target=driver, args=(name, rate * options.scale)) for name, rate in RATES.items()]
        threads.append(threading.Thread(target=watcher, daemon=True))
        samples = []
        began = time.monotonic()
        for thread in threads:
            thread.start()
        while time.monotonic() - began < duration:
            time.sleep(5)
            samples.append((time.monotonic() - began, rss_kib(daemon.pid), rss_kib(daemon.pid, "RssAnon"),
                            rss_kib(daemon.pid, "RssFile")))
            assert daemon.process.poll() is None, "the daemon died"
        stop.set()
        for thread in threads[:-1]:
            thread.join()
        _, headers, _ = harness.call(daemon.base, "GET", "/v1/services", token=daemon.admin)
        index = int(headers.get("X-Registryd-Index", "0"))
        for _ in range(50):  # the watcher may be a moment behind
            if watched["last"] >= index:
                break
            time.sleep(0.1)
        watcher_stop.set()
        warm_up = min(duration / 2, options.warm_up)
        warm = [sample for sample in samples if sample[0] >= warm_up]

        def growth(column):
            return (warm[-1][column] - warm[0][column]) / warm[0][column] * 100 if warm else float("nan")
        print(f"soak: {minutes:g} min, rates {', '.join(f'{k} {v * options.scale:g}/s' for k, v in RATES.items())}, watcher on /v1/events")
        print(f"{'operation':<10} {'requests':>9} {'errors':>7} {'p50 ms':>8} {'p99 ms':>8}")
        total_errors = 0
        for name in RATES:
            values = latencies[name]
            total_errors += len(errors[name])
            print(f"{name:<10} {len(values):>9} {len(errors[name]):>7} {percentile(values, 0.5) * 1000:>8.2f} "
                  f"{percentile(values, 0.99) * 1000:>8.2f}")
            for status, raw in errors[name][:3]:
                print(f"    error {status}: {raw!r}")
        print(f"watcher: {watched['events']} events, last index {watched['last']} (daemon index {index})")
        for column, name in [(1, "VmRSS"), (2, "RssAnon"), (3, "RssFile")]:
            print(f"{name:<8} each minute (KiB): " + " ".join(str(sample[column]) for sample in samples if int(sample[0]) % 60 < 5))
            print(f"{name:<8} after the {warm_up:.0f} s warm-up: {warm[0][column] if warm else 0} -> {warm[-1][column] if warm else 0} KiB, "
                  f"max {max(sample[column] for sample in samples)} KiB: {growth(column):+.1f}%")
        ok = total_errors == 0 and growth(1) < 10 and watched["last"] >= index
        print(f"soak: {'ok' if ok else 'FAILED'}")
        return ok
    finally:
        daemon.stop()


def saturate(binary):
    """Overload three ways against a daemon with low limits, each followed by a recovery check."""
    wrk = shutil.which("wrk")
    if not wrk:
        print("saturation: wrk not installed (apt-get install wrk)")
        return False
    limits = ["--max-in-flight", "32", "--max-connections", "256", "--query-timeout", "2",
              "--rate-limit", "200", "--rate-burst", "50"]
    daemon = harness.Daemon(binary, prefix="registryd-saturate-", args=limits)
    work = tempfile.mkdtemp(prefix="registryd-wrk-")
    ok = True
    try:
        admin = Client(daemon.port, daemon.admin)
        assert admin.send("PUT", "/v1/policies/soak", POLICY, content_type="text/plain")[0] in (200, 201)
        assert admin.send("PUT", "/v1/subjects/alice", {"attributes": {"rank": "SeniorDoctor"}})[0] in (200, 201)
        # Many gateway tokens, so that the per-token rate is not what limits the wrk runs.
        tokens = [json.loads(admin.send("POST", "/v1/tokens", {"scopes": ["decide"]})[2])["token"] for _ in range(40)]
        rows = " ".join(f"<urn:s{i}> <urn:p> {i} ." for i in range(400))
        assert admin.send("POST", "/update", f"INSERT DATA {{ GRAPH <urn:g> {{ {rows} }} }}", "application/sparql-update")[0] == 204
        script = f"{work}/decide.lua"
        with open(script, "w") as lua:
            lua.write("""
local tokens = {%s}
local counter = 0
function setup(thread) counter = counter + 1; thread:set("id", counter) end
function init(args) n = 0 end
request = function()
  n = n + 1
  return wrk.format("POST", nil, {["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. tokens[(n %% #tokens) + 1]},
    '{"subject":{"id":"alice"},"api":"soak.example/S1/obj/read","action":"call"}')
end
""" % ", ".join(f'"{t}"' for t in tokens))

        def recovery():
            start = time.perf_counter()
            status = harness.call(daemon.base, "GET", "/v1/services", token=daemon.admin)[0] if daemon.process.poll() is None else 0
            return status, (time.perf_counter() - start) * 1000

        baseline = rss_kib(daemon.pid)
        print(f"saturation: daemon with {' '.join(limits)}; RSS at start {baseline} KiB")
        print("1. POST /v1/decisions from wrk (2 threads, 10 s per step), 40 tokens")
        print(f"{'connections':>11} {'req/s':>9} {'non-2xx':>8} {'p50 ms':>8} {'p99 ms':>8} {'peak RSS KiB':>13} {'then GET /v1/services':>22}")
        for connections in [16, 64, 200, 400, 800]:
            peak = [0]
            sampling = threading.Event()

            def sample():
                while not sampling.is_set():
                    peak[0] = max(peak[0], rss_kib(daemon.pid))
                    time.sleep(0.2)

            sampler = threading.Thread(target=sample)
            sampler.start()
            result = subprocess.run([wrk, "-t", "2", "-c", str(connections), "-d", "10s", "--latency", "-s", script,
                                     f"http://127.0.0.1:{daemon.port}/v1/decisions"], capture_output=True, text=True)
            sampling.set()
            sampler.join()
            text = result.stdout

            def latency(label):
                found = re.search(label + r"\s+([\d.]+)(us|ms|s)\b", text)
                return float(found.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[found.group(2)] if found else float("nan")

            rate = re.search(r"Requests/sec:\s+([\d.]+)", text)
            non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
            status, after = recovery()
            print(f"{connections:>11} {float(rate.group(1)) if rate else 0:>9.0f} {int(non2xx.group(1)) if non2xx else 0:>8} "
                  f"{latency('50%'):>8.2f} {latency('99%'):>8.2f} {peak[0]:>13} {status:>6} in {after:>7.1f} ms")
            ok = ok and status == 200

        print("2. 100 concurrent SPARQL queries that each run into --query-timeout (2 s)")
        statuses, lock = {}, threading.Lock()
        slow = ("SELECT (COUNT(*) AS ?n) WHERE { ?a <urn:p> ?x . ?b <urn:p> ?y . ?c <urn:p> ?z . ?d <urn:p> ?w "
                "FILTER (?x + ?y + ?z + ?w > 100000) }")

        def slow_query(token):
            client = Client(daemon.port, token)
            status, seconds, raw = client.send("POST", "/sparql", slow, "application/sparql-query", "application/sparql-results+json")
            code = json.loads(raw).get("error", {}).get("code") if status >= 400 and raw.startswith(b"{") else ""
            with lock:
                entry = statuses.setdefault((status, code), [0, 0.0])
                entry[0] += 1
                entry[1] = max(entry[1], seconds)

        query_token = json.loads(admin.send("POST", "/v1/tokens", {"scopes": ["query"]})[2])["token"]
        burst = [threading.Thread(target=slow_query, args=(query_token,)) for _ in range(100)]
        for thread in burst:
            thread.start()
        for thread in burst:
            thread.join()
        for (status, code), (count, longest) in sorted(statuses.items()):
            print(f"   {count:>4} x {status} {code or ''} (slowest answer {longest * 1000:.0f} ms)")
        status, after = recovery()
        print(f"   then GET /v1/services: {status} in {after:.1f} ms; RSS {rss_kib(daemon.pid)} KiB")
        ok = ok and status == 200 and any(code == "server.overloaded" for _, code in statuses)

        print("3. one token past --rate-limit 200/s (burst 50): 1000 requests as fast as one connection goes")
        client, counts = Client(daemon.port, query_token), {}
        start = time.perf_counter()
        for _ in range(1000):
            status = client.send("GET", "/v1/services?name=soak.example/S1")[0]
            counts[status] = counts.get(status, 0) + 1
        took = time.perf_counter() - start
        time.sleep(1.0)
        status, after = recovery()
        print(f"   {dict(sorted(counts.items()))} in {took:.1f} s; another token meanwhile: {status} in {after:.1f} ms")
        ok = ok and counts.get(429, 0) > 0 and status == 200
        alive = daemon.process.poll() is None
        print(f"after all: alive {alive}, RSS {rss_kib(daemon.pid) if alive else 0} KiB (start {baseline} KiB)")
        ok = ok and alive
    finally:
        daemon.stop()
        shutil.rmtree(work, ignore_errors=True)
    print(f"saturation: {'ok' if ok else 'FAILED'}")
    return ok


passed = soak(options.binary, options.minutes) if options.minutes > 0 else True
if options.saturate:
    passed = saturate(options.binary) and passed
sys.exit(0 if passed else 1)
