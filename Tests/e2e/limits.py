"""The daemon's limits, each set low on the command line and shown to hold against a real client:
header and read timeouts (a slow client cannot hold a connection), the connection limit, the
in-flight request limit (overload answered 503 and recovered from), per-token request rates (429),
request body, manifest and policy sizes (413), and SPARQL time and result limits. Each refusal
is checked for its status and JSON error code, and for leaving the store as it was.

Usage: python3 Tests/e2e/limits.py path/to/registryd"""
import json
import re
import socket
import sys
import threading
import time

from harness import Checks, Daemon, call

checks = Checks("limits")
check = checks.check


def code_of(body):
    return body.get("error", {}).get("code") if isinstance(body, dict) else None


def closed_within(sock, seconds):
    """Seconds until the server closed `sock` (reads until EOF or reset), or None if still open."""
    sock.settimeout(0.2)
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        try:
            if sock.recv(4096) == b"":
                return time.monotonic() - start
        except socket.timeout:
            continue
        except (ConnectionResetError, BrokenPipeError):
            return time.monotonic() - start
    return None


def drip(sock, data, interval, stop_after):
    """Sends `data` one byte every `interval` seconds until the server closes or `stop_after` passes;
    returns the seconds it took the server to close, or None."""
    start = time.monotonic()
    for byte in data:
        if time.monotonic() - start > stop_after:
            return None
        try:
            sock.sendall(bytes([byte]))
        except (BrokenPipeError, ConnectionResetError):
            return time.monotonic() - start
        sock.settimeout(interval)
        try:
            if sock.recv(4096) == b"":
                return time.monotonic() - start
        except socket.timeout:
            pass
        except ConnectionResetError:
            return time.monotonic() - start
    return None


def read_response(sock):
    """One whole HTTP/1.1 response (head and Content-Length body) from a keep-alive socket."""
    data = b""
    sock.settimeout(5)
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    length = int(re.search(rb"(?i)content-length: (\d+)", head).group(1))
    while len(body) < length:
        body += sock.recv(65536)
    return head + b"\r\n\r\n" + body


def quad_count(daemon):
    status, _, body = call(daemon.base, "POST", "/sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                           token=daemon.admin, content_type="application/sparql-query",
                           headers={"Accept": "application/sparql-results+json"})
    return int(body["results"]["bindings"][0]["n"]["value"]) if status == 200 else None


def manifest(name, padding=0):
    return {"name": name, "version": "1.0.0", "description": "x" * padding,
            "instance": {"id": name.replace("/", "-"), "host": "h1"},
            "objects": [{"name": name + "/thing", "methods": [{"name": "read", "endpoints": [
                {"protocol": "rest", "url": "http://10.0.0.7:8080/thing"}]}]}]}


# --- Timeouts and the connection limit --------------------------------------------------------
daemon = Daemon(sys.argv[1], args=["--header-timeout", "1", "--read-timeout", "2", "--max-connections", "8"])
try:
    port = daemon.port

    idle = socket.create_connection(("127.0.0.1", port))
    took = closed_within(idle, 5)
    check("an idle connection is closed after the header timeout", took is not None and 0.7 < took < 3, f"took {took}")
    idle.close()

    slow = socket.create_connection(("127.0.0.1", port))
    head = b"GET /health HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-Pad-%d: y\r\n" % i for i in range(200))
    took = drip(slow, head, 0.1, 6)
    check("a client dripping its headers (slowloris) is cut off by the header timeout", took is not None and took < 3, f"took {took}")
    slow.close()

    baseline = quad_count(daemon)
    body_sock = socket.create_connection(("127.0.0.1", port))
    body_sock.sendall(b"POST /update HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-update\r\n"
                      b"Authorization: Bearer " + daemon.admin.encode() + b"\r\nContent-Length: 1000\r\n\r\n")
    took = drip(body_sock, b"INSERT DATA { <urn:a> <urn:b> <urn:c> }" + b" " * 960, 0.1, 8)
    check("a client dripping its body is cut off by the read timeout", took is not None and 1.5 < took < 4, f"took {took}")
    body_sock.close()
    check("the dripped update stored nothing", quad_count(daemon) == baseline, (baseline, quad_count(daemon)))

    status, _, _ = call(daemon.base, "GET", "/health")
    check("the daemon still answers after slow clients", status == 200, status)

    # Keep-alive: two requests on one connection well inside the header timeout both succeed.
    keep = socket.create_connection(("127.0.0.1", port))
    keep.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
    first = read_response(keep)
    time.sleep(0.5)
    keep.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
    second = read_response(keep)
    check("a keep-alive connection serves requests spaced inside the timeout", first.startswith(b"HTTP/1.1 200") and second.startswith(b"HTTP/1.1 200"))
    keep.close()
finally:
    daemon.stop()

# --- The connection limit: its own daemon, with a header timeout long enough that the held
# connections stay open however slow the machine is ----------------------------------------------
daemon = Daemon(sys.argv[1], args=["--header-timeout", "30", "--max-connections", "8"])
try:
    port = daemon.port
    # Each held connection is answered once before the next step, so the daemon has counted all
    # eight (connections are accepted on two event loops, so a sleep would not be enough).
    held = [socket.create_connection(("127.0.0.1", port)) for _ in range(8)]
    for sock in held:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
    admitted = [read_response(sock).startswith(b"HTTP/1.1 200") for sock in held]
    check("eight connections, the limit, are all served", all(admitted), admitted)
    extra = socket.create_connection(("127.0.0.1", port))
    extra.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
    extra.settimeout(3)
    answer = b""
    try:
        while True:
            chunk = extra.recv(65536)
            if not chunk:
                break
            answer += chunk
    except (socket.timeout, ConnectionResetError):
        pass
    extra.close()
    check("past --max-connections a connection gets 503 server.too_many_connections",
          answer.startswith(b"HTTP/1.1 503") and b"server.too_many_connections" in answer and b"retry-after: 1" in answer.lower(),
          answer[:300])
    for sock in held:
        sock.close()
    # The daemon learns of the closes on its event loops, a moment later on a busy machine.
    for _ in range(50):
        time.sleep(0.1)
        status, _, _ = call(daemon.base, "GET", "/health")
        if status == 200:
            break
    check("once connections close, new ones are served again", status == 200, status)
finally:
    daemon.stop()

# --- In-flight requests: overload is refused with 503 and recovers ------------------------------
daemon = Daemon(sys.argv[1], args=["--max-in-flight", "3"])
try:
    status, _, _ = call(daemon.base, "POST", "/v1/services", manifest("limits/a"), token=daemon.admin)
    check("a registration before the overload", status == 201, status)
    _, headers, _ = call(daemon.base, "GET", "/v1/services", token=daemon.admin)
    index = headers.get("X-Registryd-Index")
    results = []

    def long_poll():
        results.append(call(daemon.base, "GET", f"/v1/services?index={index}&wait=20s", token=daemon.admin)[0])

    pollers = [threading.Thread(target=long_poll) for _ in range(3)]
    for thread in pollers:
        thread.start()
    # Until the three polls have reached the daemon, a request is still served (a read, harmless).
    for _ in range(100):
        time.sleep(0.1)
        status, headers, body = call(daemon.base, "GET", "/v1/services", token=daemon.admin)
        if status != 200:
            break
    check("past --max-in-flight a request gets 503 server.overloaded with Retry-After",
          status == 503 and code_of(body) == "server.overloaded" and headers.get("Retry-After") == "1", (status, body))
    status, _, _ = call(daemon.base, "GET", "/health")
    check("/health answers during the overload", status == 200, status)
    status, _, body = call(daemon.base, "POST", "/v1/services", manifest("limits/b"), token=daemon.admin)
    check("a write refused by the overload is 503", status == 503, (status, body))
    # Release the long polls with a change made through the store (SPARQL update is also an HTTP
    # request, so wait for the pollers' own timeout instead if every slot is held).
    for thread in pollers:
        thread.join(30)
    check("the long polls ended normally", results == [200, 200, 200], results)
    status, _, body = call(daemon.base, "GET", "/v1/services", token=daemon.admin)
    names = sorted(s.get("name") for s in body["services"]) if status == 200 else []
    check("after the overload requests succeed and the refused write left nothing",
          status == 200 and names == ["limits/a"], (status, names))
finally:
    daemon.stop()

# --- Per-token rates --------------------------------------------------------------------------
daemon = Daemon(sys.argv[1], args=["--rate-limit", "2", "--rate-burst", "4"])
try:
    status, _, body = call(daemon.base, "POST", "/v1/tokens", {"scopes": ["query"], "description": "other"}, token=daemon.admin)
    other = body.get("token") if isinstance(body, dict) else None
    check("a second token", status == 201 and other, (status, body))
    time.sleep(2.1)  # the admin's bucket is full again
    statuses = [call(daemon.base, "GET", "/v1/services", token=daemon.admin) for _ in range(8)]
    codes = [s[0] for s in statuses]
    limited = [s for s in statuses if s[0] == 429]
    check("a token past its rate and burst gets 429 rate.limited", codes[:4] == [200] * 4 and len(limited) >= 3, codes)
    check("a 429 says when to retry", limited and limited[0][1].get("Retry-After", "").isdigit()
          and code_of(limited[0][2]) == "rate.limited", limited[:1])
    status, _, _ = call(daemon.base, "GET", "/v1/services", token=other)
    check("another token is not limited by the first one's use", status == 200, status)
    time.sleep(1.1)
    status, _, _ = call(daemon.base, "GET", "/v1/services", token=daemon.admin)
    check("the limited token is served again after waiting", status == 200, status)
finally:
    daemon.stop()

# --- Sizes and SPARQL limits -------------------------------------------------------------------
daemon = Daemon(sys.argv[1], args=["--max-upload-mib", "1", "--max-manifest-kib", "4", "--max-policy-kib", "1",
                                   "--query-timeout", "1", "--max-results", "10"])
try:
    baseline = quad_count(daemon)
    big = "INSERT DATA { " + " ".join(f"<urn:s{i}> <urn:p> \"{'x' * 40}\" ." for i in range(30000)) + " }"
    status, _, body = call(daemon.base, "POST", "/update", big, token=daemon.admin, content_type="application/sparql-update")
    check("an update body over --max-upload-mib gets 413 request.too_large", status == 413 and code_of(body) == "request.too_large", (status, body))
    check("the refused update stored nothing", quad_count(daemon) == baseline)

    status, _, body = call(daemon.base, "POST", "/v1/services", manifest("limits/big", padding=6000), token=daemon.admin)
    check("a manifest over --max-manifest-kib gets 413", status == 413 and code_of(body) == "request.too_large", (status, body))
    status, _, body = call(daemon.base, "GET", "/v1/services/limits-big", token=daemon.admin)
    check("the refused manifest registered nothing", status == 404, status)

    policy = "permit call on \"a/*\";\n" + "// padding\n" * 200
    status, _, body = call(daemon.base, "PUT", "/v1/policies/big", policy, token=daemon.admin, content_type="text/plain")
    check("a policy over --max-policy-kib gets 413", status == 413, (status, body))
    status, _, body = call(daemon.base, "GET", "/v1/policies/big", token=daemon.admin)
    check("the refused policy is not stored", status == 404, status)

    rows = "INSERT DATA { GRAPH <urn:g> { " + " ".join(f"<urn:s{i}> <urn:p> {i} ." for i in range(400)) + " } }"
    status, _, _ = call(daemon.base, "POST", "/update", rows, token=daemon.admin, content_type="application/sparql-update")
    check("400 triples stored", status == 204 and quad_count(daemon) == baseline + 400, (status, baseline, quad_count(daemon)))
    status, _, body = call(daemon.base, "POST", "/sparql", "SELECT * WHERE { ?s ?p ?o }", token=daemon.admin,
                           content_type="application/sparql-query", headers={"Accept": "application/sparql-results+json"})
    check("a result over --max-results gets 400 sparql.result_limit", status == 400 and code_of(body) == "sparql.result_limit", (status, body))
    slow = ("SELECT (COUNT(*) AS ?n) WHERE { ?a <urn:p> ?x . ?b <urn:p> ?y . ?c <urn:p> ?z . ?d <urn:p> ?w "
            "FILTER (?x + ?y + ?z + ?w > 100000) }")
    start = time.monotonic()
    status, _, body = call(daemon.base, "POST", "/sparql", slow, token=daemon.admin,
                           content_type="application/sparql-query", headers={"Accept": "application/sparql-results+json"})
    took = time.monotonic() - start
    check("a query past --query-timeout gets 503 sparql.timeout, about on time",
          status == 503 and code_of(body) == "sparql.timeout" and took < 5, (status, body, round(took, 2)))
    status, _, _ = call(daemon.base, "GET", "/health")
    check("the daemon answers after the stopped query", status == 200, status)
finally:
    daemon.stop()

checks.finish()
