"""End-to-end: hostile requests to a real `registryd serve` are refused and change nothing.

Every hostile request is checked twice: the refusal itself (status code and a JSON error body with
a `code`), and that the daemon's state is what it was before (services, the registry index, quads
per graph, policies, tokens, authorities, hosts). Covered: scope escalation (register:<prefix>,
query, decide, revoked and missing tokens), name tricks (dot segments, percent-encoding, Unicode
look-alikes) in service names and decision API names, SSRF through pull registration and health
checks (loopback spellings, link-local, redirects, URL parser confusion), forged, expired,
misdirected and revoked credentials and bindings, and XML/JSON/Turtle/SPARQL bombs and oversized
bodies (with the daemon's memory read from /proc). Prints `security: N passed, N failed`.

    python3 -m pip install PyJWT cryptography
    python3 Tests/e2e/security.py .build/debug/registryd
"""
import http.client
import json
import os
import select
import socket
import sys
import threading
import time
import urllib.parse
import warnings
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import harness
import jwt
from cryptography.hazmat.primitives.asymmetric import ed25519

warnings.filterwarnings("ignore", message=".*EdDSA is deprecated.*")

AUTHORITY = "hospital.example"
POLICY = """\
# security: doctors call the sec.example APIs; anyone calls a/*; Kelvin for look-alikes
domain Rank = Nurse < AttendingDoctor < SeniorDoctor;
attribute subject.rank : Rank from authority "hospital.example";

sec: permit call on "sec.example/Api/*" when subject.rank >= AttendingDoctor;
open-a: permit call on "a/*" when subject.rank >= Nurse;
open-deep: permit call on "deep.example/**" when subject.rank >= Nurse;
kelvin: permit call on "K.example/*" when subject.rank >= Nurse;
"""
CYRILLIC_A = "\u0430"      # а, looks like Latin a
FULLWIDTH_SOLIDUS = "\uff0f"  # ／
KELVIN = "\u212a"          # K (KELVIN SIGN), canonically equivalent to K
ANGSTROM = "\u212b"        # Å (ANGSTROM SIGN)

checks = harness.Checks("security")
check = checks.check
b64url = harness.b64url


# --- two loopback HTTP servers: one the daemon may pull from, one it must never reach ---

class Recorder(BaseHTTPRequestHandler):
    """Answers from `self.server.routes`; records every request it gets."""

    def do_GET(self):
        self.server.hits.append(self.path)
        route = self.server.routes.get(self.path.split("?")[0])
        if callable(route):
            route = route()
        status, headers, body = route or (404, {"Content-Type": "text/plain"}, b"no such path")
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # the daemon hanging up on a body it refuses is expected


def serve(routes):
    server = QuietServer(("127.0.0.1", 0), Recorder)
    server.routes, server.hits = routes, []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def pulled_manifest(name, instance):
    return json.dumps({"name": name, "version": "1.0.0", "instance": {"id": instance},
                       "objects": [{"name": name + "/obj", "methods": [{"name": "read", "endpoints": [
                           {"protocol": "rest", "url": "http://10.0.0.9/read"}]}]}]}).encode()


forbidden = serve({})
FORBIDDEN = forbidden.server_address[1]
forbidden.routes.update({
    "/introspect": (200, {"Content-Type": "application/json"}, pulled_manifest("ssrf.example/Internal", "ssrf-internal")),
    "/health": (200, {"Content-Type": "application/json"}, b'{"status":"ok"}'),
    "/dtd": (200, {"Content-Type": "application/xml-dtd"}, b'<!ENTITY leak "LEAKED">'),
})
allowed = serve({})
ALLOWED = allowed.server_address[1]
switch = {"redirect": False}


def switching_route():
    if switch["redirect"]:
        return 302, {"Location": f"http://127.0.0.1:{FORBIDDEN}/introspect"}, b""
    return 200, {"Content-Type": "application/json"}, pulled_manifest("pull.example/Switch", "pull-switch")


BILLION_LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n <!ENTITY lol "lol">\n'
                  + "".join(f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n' for i in range(1, 10))
                  + ']>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ms="https://w3id.org/registryd/ms#">\n'
                  '  <ms:Microservice rdf:about="urn:x:svc"><ms:name>bomb.example/Laughs</ms:name>'
                  '<ms:version>&lol9;</ms:version></ms:Microservice>\n</rdf:RDF>\n')
XXE = ('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ <!ENTITY x SYSTEM "file:///etc/passwd"> ]>\n'
       '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ms="https://w3id.org/registryd/ms#">\n'
       '  <ms:Microservice rdf:about="urn:x:svc"><ms:name>bomb.example/Xxe</ms:name><ms:version>1.0</ms:version>'
       '<ms:label>&x;</ms:label></ms:Microservice>\n</rdf:RDF>\n')
XXE_NETWORK = (f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ <!ENTITY % ext SYSTEM "http://127.0.0.1:{FORBIDDEN}/dtd"> %ext; ]>\n'
               '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ms="https://w3id.org/registryd/ms#">\n'
               '  <ms:Microservice rdf:about="urn:x:svc"><ms:name>bomb.example/Dtd</ms:name><ms:version>1.0</ms:version>'
               '<ms:label>&leak;</ms:label></ms:Microservice>\n</rdf:RDF>\n')
EXTERNAL_DOCTYPE = (f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF SYSTEM "http://127.0.0.1:{FORBIDDEN}/dtd">\n'
                    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="urn:x:a">'
                    '<rdf:value>&leak;</rdf:value></rdf:Description></rdf:RDF>\n')
QUADRATIC = ('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ <!ENTITY a "' + "x" * 50000 + '"> ]>\n'
             '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="urn:x:q">'
             '<rdf:value>' + "&a;" * 20000 + '</rdf:value></rdf:Description></rdf:RDF>\n')

allowed.routes.update({
    "/introspect": (200, {"Content-Type": "application/json"}, pulled_manifest("pull.example/Allowed", "pull-allowed")),
    "/redirect": (302, {"Location": f"http://127.0.0.1:{FORBIDDEN}/introspect"}, b""),
    "/redirect-metadata": (302, {"Location": "http://169.254.169.254/latest/meta-data/"}, b""),
    "/redirect-localhost": (307, {"Location": f"http://localhost:{FORBIDDEN}/introspect"}, b""),
    "/switch": switching_route,
    "/bomb.rdf": (200, {"Content-Type": "application/rdf+xml"}, BILLION_LAUGHS.encode()),
    "/xxe.rdf": (200, {"Content-Type": "application/rdf+xml"}, XXE.encode()),
    "/huge.json": (200, {"Content-Type": "application/json"}, b" " * (8 << 20) + b"{}"),
})

# --gateway-headers: the gateway checks below also send X-Registryd-Action and -Prefix, read only in
# that (admin-chosen) mode; hardening.py covers the default, where they are ignored.
DAEMON_ARGS = ["--pull-allow", f"127.0.0.1:{ALLOWED}", "--gateway-headers"]
daemon = harness.Daemon(sys.argv[1], prefix="registryd-security-", args=DAEMON_ARGS)
base, admin, pid = daemon.base, daemon.admin, daemon.pid
plain = None  # a second daemon without --pull-allow


def call(method, path, body=None, token=None, headers=None, content_type=None, at=None):
    return harness.call(at or base, method, path, body, token, headers, content_type)


def sparql(query, at=None):
    form = urllib.parse.urlencode({"query": query, "reasoning": "false"})
    status, _, body = call("POST", "/sparql", form, admin, {"Accept": "application/sparql-results+json"},
                           "application/x-www-form-urlencoded", at)
    if status != 200:
        return ("error", status, body)
    return [{k: v["value"] for k, v in row.items()} for row in body["results"]["bindings"]]


def snapshot():
    """Everything a hostile request might change, as seen by the admin."""
    state = {}
    status, headers, services = call("GET", "/v1/services", token=admin)
    state["index"] = headers.get("X-Registryd-Index") if headers else None
    state["services"] = sorted(json.dumps(s, sort_keys=True) for s in services.get("services", [])) \
        if isinstance(services, dict) else (status, services)
    state["graphs"] = sparql("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g")
    state["default"] = sparql("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    for name, path in [("policies", "/v1/policies"), ("tokens", "/v1/tokens"), ("authorities", "/v1/authorities"),
                       ("hosts", "/v1/hosts"), ("subjects", "/v1/subjects")]:
        status, _, body = call("GET", path, token=admin)
        if name == "hosts" and isinstance(body, dict):
            body = {"hosts": sorted(json.dumps({k: v for k, v in h.items() if k not in ("lastSeen",)}, sort_keys=True)
                                    for h in body.get("hosts", []))}
        state[name] = (status, json.dumps(body, sort_keys=True))
    return state


def differences(before, after):
    return {key: (str(before.get(key))[:300], str(after.get(key))[:300]) for key in before if before.get(key) != after.get(key)}


def error_code(body):
    if isinstance(body, dict) and isinstance(body.get("error"), dict) and isinstance(body["error"].get("code"), str):
        return body["error"]["code"]
    return None


def refused(label, result, statuses, before=None, codes=None):
    """The request was refused with one of `statuses` and a JSON error with a code (one of `codes`,
    by prefix, when given); nothing changed since `before` (a fresh snapshot when None)."""
    status, _, body = result
    code = error_code(body)
    ok = status in statuses and code is not None and (codes is None or any(code.startswith(c) for c in codes))
    check(f"{label}: refused with {'/'.join(map(str, statuses))} and an error code", ok, (status, str(body)[:400]))
    if before is not None:
        after = snapshot()
        check(f"{label}: nothing changed", after == before, differences(before, after))
    return ok


def hostile(label, method, path, body=None, token=None, statuses=(403,), content_type=None, headers=None, codes=None):
    before = snapshot()
    try:
        result = call(method, path, body, token, headers, content_type)
    except Exception as error:  # the daemon dropped the connection or timed out
        result = (None, None, repr(error))
    if not survived(label):
        return refused(label, result, statuses, None, codes)
    return refused(label, result, statuses, before, codes)


def survived(label):
    """True when the daemon still runs and answers /health; otherwise a failure, and a restart on
    the same data so that the remaining checks still run."""
    global daemon, base, pid
    try:
        status, _, body = call("GET", "/health") if daemon.process.poll() is None else (None, None, "exited")
    except Exception as error:
        status, body = None, repr(error)
    if status == 200:
        return True
    check(f"daemon survives {label}", False, (status, body, daemon.process.poll()))
    daemon.kill()
    daemon = harness.Daemon(sys.argv[1], data=daemon.data, args=DAEMON_ARGS)
    daemon.owns_data = True
    base, pid = daemon.base, daemon.pid
    return False


def alive(label):
    """A check that the daemon survived `label` (restarting it when it did not)."""
    if survived(label):
        check(f"daemon still answers /health after {label}", True)


def token(scopes, description="security"):
    status, _, body = call("POST", "/v1/tokens", {"scopes": scopes, "description": description}, token=admin)
    if not check(f"token {scopes} created", status == 201 and isinstance(body, dict) and body.get("token"), (status, body)):
        return None, None
    return body["token"], body.get("id")


def manifest(name, instance_id, **extra):
    document = {"name": name, "version": "1.0.0", "instance": {"id": instance_id, **extra.pop("instance", {})},
                "objects": [{"name": name + "/obj", "methods": [{"name": "read", "endpoints": [
                    {"protocol": "rest", "url": "http://10.0.0.8/read"}]}]}]}
    document.update(extra)
    return document


def rss_kib(pid, field="VmRSS"):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


class MemorySampler:
    """The daemon's largest VmRSS while the block runs, sampled every 5 ms."""

    def __enter__(self):
        self.start = self.peak = rss_kib(pid)
        self.running = True
        self.thread = threading.Thread(target=self.sample, daemon=True)
        self.thread.start()
        return self

    def sample(self):
        while self.running:
            try:
                self.peak = max(self.peak, rss_kib(pid))
            except OSError:
                return
            time.sleep(0.005)

    def __exit__(self, *exc):
        self.running = False
        self.thread.join()
        return False


def send_large(path, size, content_type, token, chunked=False):
    """Streams `size` bytes of body to the daemon without holding them; returns (status, body text)."""
    connection = socket.create_connection(("127.0.0.1", daemon.port), timeout=60)
    head = [f"POST {path} HTTP/1.1", f"Host: 127.0.0.1:{daemon.port}", f"Authorization: Bearer {token}",
            f"Content-Type: {content_type}", "Connection: close"]
    head.append("Transfer-Encoding: chunked" if chunked else f"Content-Length: {size}")
    connection.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
    chunk = b"<urn:x:s> <urn:x:p> \"" + b"y" * ((1 << 20) - 30) + b"\" .\n"
    sent = 0
    connection.settimeout(5)
    try:
        while sent < size and not select.select([connection], [], [], 0)[0]:  # stop once the daemon answers
            piece = chunk[: min(len(chunk), size - sent)]
            connection.sendall(b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece)
            sent += len(piece)
        if chunked and sent >= size:
            connection.sendall(b"0\r\n\r\n")
    except OSError:
        pass  # the daemon stopped reading (or reset): the answer should already be there
    connection.settimeout(30)
    answer = b""
    try:
        while True:
            data = connection.recv(65536)
            if not data:
                break
            answer += data
    except OSError:
        pass
    connection.close()
    text = answer.decode("utf-8", "replace")
    status = int(text.split(" ", 2)[1]) if text.startswith("HTTP/1.1 ") else None
    body = text.split("\r\n\r\n", 1)[1] if "\r\n\r\n" in text else ""
    try:
        body = json.loads(body)
    except ValueError:
        pass
    return status, sent, body


def status_only(path, bearer):
    """GET with a 5 s timeout that reads an error body but not an open stream: (status, None, body)."""
    connection = http.client.HTTPConnection("127.0.0.1", daemon.port, timeout=5)
    try:
        connection.request("GET", path, headers={"Authorization": f"Bearer {bearer}"})
        response = connection.getresponse()
        if response.status != 200:
            text = response.read().decode("utf-8", "replace")
            try:
                return response.status, None, json.loads(text)
            except ValueError:
                return response.status, None, text
        return 200, None, ""
    finally:
        connection.close()


def credential(key, attributes, sub="alice", iss=AUTHORITY, lifetime=3600, nbf=None, exp=None, alg="EdDSA", kid=None,
               headers=None):
    now = int(time.time())
    claims = {"iss": iss, "sub": sub, "nbf": now - 60 if nbf is None else nbf,
              "exp": now + lifetime if exp is None else exp, "attributes": attributes}
    extra = dict(headers or {})
    if kid:
        extra["kid"] = kid
    return jwt.encode(claims, key, algorithm=alg, headers=extra or None)


def unsigned(header, claims):
    return f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(claims).encode())}."


def decode_part(part):
    import base64
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


try:
    # --- setup (as admin) ---
    status, _, body = call("POST", "/v1/services", manifest("b/Victim", "victim-b", instance={"ttl": "1h"}), token=admin)
    check("setup: b/Victim registered", status == 201, (status, body))
    status, _, body = call("POST", "/v1/services", manifest("a/Own", "own-a"), token=admin)
    check("setup: a/Own registered", status == 201, (status, body))
    status, _, body = call("POST", "/v1/services", manifest("sec.example/Api", "sec-api",
                                                            objects=[{"name": "sec.example/Api/one"}, {"name": "sec.example/Api/two"}]),
                           token=admin)
    check("setup: sec.example/Api registered", status == 201, (status, body))
    status, _, body = call("PUT", "/rdf-graphs?graph=" + urllib.parse.quote("urn:security:data", safe=""),
                           '<urn:x:a> <urn:x:p> "data" .\n', admin, content_type="text/turtle")
    check("setup: a graph stored", status in (201, 204), (status, body))
    authority_key = ed25519.Ed25519PrivateKey.generate()
    authority_jwk = jwt.algorithms.OKPAlgorithm.to_jwk(authority_key.public_key(), as_dict=True)
    other_key = ed25519.Ed25519PrivateKey.generate()
    status, _, body = call("PUT", f"/v1/authorities/{AUTHORITY}", {"keys": [authority_jwk]}, token=admin)
    check("setup: authority registered", status in (200, 201, 204), (status, body))
    status, _, body = call("PUT", "/v1/authorities/other.example",
                           {"keys": [jwt.algorithms.OKPAlgorithm.to_jwk(other_key.public_key(), as_dict=True)]}, token=admin)
    check("setup: second authority registered", status in (200, 201, 204), (status, body))
    status, _, body = call("PUT", "/v1/policies/security", POLICY, admin, content_type="text/plain")
    check("setup: policy stored", status == 200, (status, body))
    register_a, register_a_id = token(["register:a/"])
    query_token, _ = token(["query"])
    decide_token, _ = token(["decide"])
    doomed, doomed_id = token(["register:a/"], "to be revoked")

    # ================= scope escalation =================
    outside = manifest("b/Evil", "evil-b")
    hostile("register:a/ registers b/Evil", "POST", "/v1/services", outside, register_a)
    hostile("register:a/ registers a/Mine with an object b/Victim/obj", "POST", "/v1/services",
            manifest("a/Mine", "mine-a", objects=[{"name": "b/Victim/obj"}]), register_a)
    hostile("register:a/ takes over id victim-b with a name under a/", "POST", "/v1/services",
            manifest("a/Takeover", "victim-b"), register_a, statuses=(403, 409))
    hostile("register:a/ replaces victim-b (PUT) with a name under a/", "PUT", "/v1/services/victim-b",
            manifest("a/Takeover", "victim-b"), register_a, statuses=(403, 409))
    hostile("register:a/ replaces victim-b (PUT) as b/Victim", "PUT", "/v1/services/victim-b",
            manifest("b/Victim", "victim-b"), register_a)
    hostile("register:a/ deletes victim-b", "DELETE", "/v1/services/victim-b", token=register_a)
    hostile("register:a/ sets victim-b's health", "PUT", "/v1/services/victim-b/health", {"status": "broken"}, register_a)
    hostile("register:a/ renews victim-b's lease", "PUT", "/v1/services/victim-b/lease", token=register_a)
    hostile("register:a/ pins b/Victim to its own instance", "PUT", "/v1/resolve/pin?name=b/Victim",
            {"generation": 0, "instances": ["own-a"]}, register_a)
    hostile("register:a/ registers b/Evil as a Thing Description", "POST", "/v1/services?name=b/Evil&id=evil-td",
            {"@context": "https://www.w3.org/2022/wot/td/v1.1", "title": "Evil", "securityDefinitions": {"n": {"scheme": "nosec"}},
             "security": "n", "properties": {"t": {"forms": [{"href": "http://10.0.0.1/t"}]}}}, register_a,
            content_type="application/td+json")
    hostile("register:a/ registers b/Evil as RDF/XML", "POST", "/v1/services",
            '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            'xmlns:ms="https://w3id.org/registryd/ms#"><ms:Microservice rdf:about="urn:x:evil"><ms:name>b/Evil</ms:name>'
            '<ms:version>1.0</ms:version><ms:hasInstance><ms:ServiceInstance rdf:about="urn:x:evil-i">'
            '<ms:registrationId>evil-rdf</ms:registrationId></ms:ServiceInstance></ms:hasInstance></ms:Microservice></rdf:RDF>',
            register_a, content_type="application/rdf+xml")
    hostile("register:a/ runs POST /update", "POST", "/update", 'INSERT DATA { <urn:x:e> <urn:x:p> "e" }', register_a,
            content_type="application/sparql-update")
    hostile("register:a/ creates an admin token", "POST", "/v1/tokens", {"scopes": ["admin"]}, register_a)
    hostile("register:a/ creates a register:b/ token", "POST", "/v1/tokens", {"scopes": ["register:b/"]}, register_a)
    hostile("register:a/ revokes another token", "DELETE", f"/v1/tokens/{register_a_id}x", token=register_a)
    hostile("register:a/ stores a policy", "PUT", "/v1/policies/evil", 'permit any on "**";', register_a,
            content_type="text/plain")
    hostile("register:a/ pulls a service (a/ prefix, from the allowed host) named pull.example/Allowed", "POST",
            "/v1/services/pull", {"url": f"http://127.0.0.1:{ALLOWED}/introspect"}, register_a)

    update = 'INSERT DATA { GRAPH <urn:x:evil> { <urn:x:e> <urn:x:p> "evil" } }'
    hostile("query token runs POST /update", "POST", "/update", update, query_token, content_type="application/sparql-update")
    hostile("query token runs POST /update (form)", "POST", "/update", urllib.parse.urlencode({"update": update}), query_token,
            content_type="application/x-www-form-urlencoded")
    hostile("query token smuggles an update through /sparql", "POST", "/sparql", update, query_token, statuses=(400,),
            content_type="application/sparql-query")
    hostile("query token smuggles an update through GET /sparql", "GET", "/sparql?query=" + urllib.parse.quote(update),
            token=query_token, statuses=(400,))
    graph_path = "/rdf-graphs?graph=" + urllib.parse.quote("urn:security:data", safe="")
    hostile("query token PUTs a graph", "PUT", graph_path, '<urn:x:e> <urn:x:p> "evil" .\n', query_token,
            content_type="text/turtle")
    hostile("query token POSTs to a graph", "POST", graph_path, '<urn:x:e> <urn:x:p> "evil" .\n', query_token,
            content_type="text/turtle")
    hostile("query token DELETEs a graph", "DELETE", graph_path, token=query_token)
    hostile("query token PUTs the default graph", "PUT", "/rdf-graphs?default", '<urn:x:e> <urn:x:p> "evil" .\n',
            query_token, content_type="text/turtle")
    hostile("query token registers a service", "POST", "/v1/services", manifest("a/Q", "q-a"), query_token)
    hostile("query token deletes a service", "DELETE", "/v1/services/own-a", token=query_token)
    hostile("query token registers a host", "POST", "/v1/hosts", {"id": "evil-host"}, query_token)
    hostile("query token stores a policy", "PUT", "/v1/policies/evil", 'permit any on "**";', query_token,
            content_type="text/plain")
    hostile("query token asks for a decision", "POST", "/v1/decisions",
            {"subject": {"id": "x", "credentials": []}, "api": "a/x", "action": "call"}, query_token)

    hostile("decide token stores a policy", "PUT", "/v1/policies/evil", 'permit any on "**";', decide_token,
            content_type="text/plain")
    hostile("decide token replaces the security policy", "PUT", "/v1/policies/security", 'permit any on "**";', decide_token,
            content_type="text/plain")
    hostile("decide token deletes the security policy", "DELETE", "/v1/policies/security", token=decide_token)
    hostile("decide token registers an authority key", "PUT", "/v1/authorities/evil.example",
            {"keys": [jwt.algorithms.OKPAlgorithm.to_jwk(other_key.public_key(), as_dict=True)]}, decide_token)
    hostile("decide token replaces the hospital's keys", "PUT", f"/v1/authorities/{AUTHORITY}",
            {"keys": [jwt.algorithms.OKPAlgorithm.to_jwk(other_key.public_key(), as_dict=True)]}, decide_token)
    hostile("decide token writes a subject's attributes", "PUT", "/v1/subjects/alice",
            {"attributes": {"rank": "SeniorDoctor"}}, decide_token)
    hostile("decide token rotates the signing keys", "POST", "/v1/keys/rotate", token=decide_token)
    hostile("decide token runs POST /update", "POST", "/update", update, decide_token, content_type="application/sparql-update")
    hostile("decide token registers a service", "POST", "/v1/services", manifest("a/D", "d-a"), decide_token)
    hostile("decide token reads the store (SPARQL)", "GET", "/sparql?query=" + urllib.parse.quote("ASK {}"), token=decide_token)

    if doomed:
        status, _, body = call("POST", "/v1/services", manifest("a/Doomed", "doomed-a"), token=doomed)
        check("control: the register:a/ token registers a/Doomed before revocation", status == 201, (status, body))
        status, _, body = call("DELETE", f"/v1/tokens/{doomed_id}", token=admin)
        check("token revoked", status == 200, (status, body))
        hostile("revoked token registers a/Doomed2", "POST", "/v1/services", manifest("a/Doomed2", "doomed2-a"), doomed,
                statuses=(401,))
        hostile("revoked token deletes its own a/Doomed", "DELETE", "/v1/services/doomed-a", token=doomed, statuses=(401,))
        hostile("revoked token as X-Registryd-Token", "POST", "/v1/services", manifest("a/Doomed3", "doomed3-a"),
                headers={"X-Registryd-Token": doomed}, statuses=(401,))
        hostile("revoked token revoked again", "DELETE", f"/v1/tokens/{doomed_id}", token=admin, statuses=(404,))
    hostile("no token registers a/X", "POST", "/v1/services", manifest("a/X", "x-a"), statuses=(401,))
    hostile("no token runs POST /update", "POST", "/update", update, statuses=(401,), content_type="application/sparql-update")
    hostile("no token PUTs a graph", "PUT", graph_path, '<urn:x:e> <urn:x:p> "evil" .\n', statuses=(401,),
            content_type="text/turtle")
    hostile("no token stores a policy", "PUT", "/v1/policies/evil", 'permit any on "**";', statuses=(401,),
            content_type="text/plain")
    hostile("no token creates a token", "POST", "/v1/tokens", {"scopes": ["admin"]}, statuses=(401,))
    hostile("no token deletes a service", "DELETE", "/v1/services/victim-b", statuses=(401,))
    hostile("Basic credentials instead of a bearer token", "DELETE", "/v1/services/victim-b", statuses=(401,),
            headers={"Authorization": "Basic " + b64url(b"admin:admin")})
    hostile("empty bearer token", "DELETE", "/v1/services/victim-b", statuses=(401,), headers={"Authorization": "Bearer "})
    hostile("admin token with a trailing character", "DELETE", "/v1/services/victim-b", token=admin + "x", statuses=(401,))
    hostile("admin token truncated", "DELETE", "/v1/services/victim-b", token=admin[:-1], statuses=(401,))

    # ================= name tricks =================
    for label, name in [
        ("dot-dot segment a/../b/Evil", "a/../b/Evil"),
        ("dot segment a/./Evil", "a/./Evil"),
        ("percent-encoded slashes a%2F..%2Fb/Evil", "a%2F..%2Fb/Evil"),
        ("percent-encoded dots a/%2e%2e/b/Evil", "a/%2e%2e/b/Evil"),
        ("backslash a/..\\b/Evil", "a/..\\b/Evil"),
        ("Cyrillic а in the site", CYRILLIC_A + "/Evil"),
        ("Cyrillic а (b/ look-alike) b/Ev" + CYRILLIC_A + "l", "b/Ev" + CYRILLIC_A + "l"),
        ("fullwidth solidus a／Evil", "a" + FULLWIDTH_SOLIDUS + "Evil"),
        ("fullwidth solidus a/x／..／..／b/Evil", "a/x" + FULLWIDTH_SOLIDUS + ".." + FULLWIDTH_SOLIDUS + "b"),
        ("NFD combining accent a\u0301/Evil", "a\u0301/Evil"),
        ("NFD combining mark after the slash a/\u0301Evil", "a/\u0301Evil"),
        ("Kelvin sign", "a/" + KELVIN + "elvin"),
        ("NUL byte a/X\\0", "a/X\x00"),
        ("newline a/X\\nb/Evil", "a/X\nb/Evil"),
        ("empty segment a//b", "a//b"),
        ("leading slash /a/X", "/a/X"),
    ]:
        hostile(f"register:a/ registers name {label}", "POST", "/v1/services", manifest(name, "trick-a"), register_a,
                statuses=(400, 403))
    hostile("register:a/ registers a/Ok with an object named a/../b/Victim/obj", "POST", "/v1/services",
            manifest("a/Ok", "trick-obj", objects=[{"name": "a/../b/Victim/obj"}]), register_a, statuses=(400, 403))
    for label, path in [
        ("%2F..%2F in the id", "/v1/services/own-a%2F..%2Fvictim-b"),
        ("../ in the path", "/v1/services/own-a/../victim-b"),
        ("%2e%2e in the path", "/v1/services/own-a/%2e%2e/victim-b"),
        ("encoded id victim%2Db", "/v1/services/victim%2Db"),
    ]:
        hostile(f"register:a/ deletes through {label}", "DELETE", path, token=register_a, statuses=(400, 403, 404))
    for scope in ["register:" + CYRILLIC_A + "/", "register:a/../b/", "register:a" + FULLWIDTH_SOLIDUS,
                  "register:a%2F", "register:", "register:a/\u0301", "admin ", "Admin"]:
        hostile(f"admin asks for a token with scope {scope!r}", "POST", "/v1/tokens", {"scopes": [scope]}, admin,
                statuses=(400,))

    # decisions: a policy permitting a/* (and K.example/*, deep.example/**) must not permit a look-alike
    nurse = credential(authority_key, {"rank": "Nurse"})

    def decision(api, credentials=None, tok=None):
        return call("POST", "/v1/decisions", {"subject": {"id": "alice", "credentials": credentials or [nurse]},
                                              "api": api, "action": "call", "explain": True}, token=tok or decide_token)

    status, _, body = decision("a/x")
    check("control: a/x is permitted", isinstance(body, dict) and body.get("decision") == "permit", (status, body))
    status, _, body = decision("K.example/x")
    check("control: K.example/x is permitted", isinstance(body, dict) and body.get("decision") == "permit", (status, body))
    status, _, body = decision("deep.example/x/y")
    check("control: deep.example/x/y is permitted", isinstance(body, dict) and body.get("decision") == "permit", (status, body))
    for label, api in [
        ("Cyrillic а/x", CYRILLIC_A + "/x"),
        ("fullwidth a／x", "a" + FULLWIDTH_SOLIDUS + "x"),
        ("NFD a\u0301/x", "a\u0301/x"),
        ("Kelvin sign K.example/x", KELVIN + ".example/x"),
        ("uppercase A/x", "A/x"),
        ("a/../b/x", "a/../b/x"),
        ("a/x/../../b/secret", "a/x/../../b/secret"),
        ("deep.example/../b/secret", "deep.example/../b/secret"),
        ("deep.example/x/../../b/secret", "deep.example/x/../../b/secret"),
        ("deep.example/%2e%2e/b/secret", "deep.example/%2e%2e/b/secret"),
        ("a%2Fx (encoded slash)", "a%2Fx"),
        ("a/x%2F..%2F..%2Fb", "a/x%2F..%2F..%2Fb"),
    ]:
        before = snapshot()
        status, _, body = decision(api)
        ok = (status == 400 and error_code(body) is not None) or (
            status == 200 and isinstance(body, dict) and body.get("decision") == "deny" and not body.get("binding"))
        check(f"decision on look-alike/dot-segment API {label}: deny or 400 with a code", ok, (status, body))
        after = snapshot()
        check(f"decision on {label}: nothing changed", after == before, differences(before, after))

    # ... and through the gateway adapter, where X-Original-URI is nginx's raw $request_uri
    def gateway(original_uri, bearer, extra=None, tok=None):
        headers = {"X-Registryd-Token": tok if tok is not None else decide_token, "X-Original-URI": original_uri,
                   "X-Original-Method": "GET"}
        headers.update(extra or {})
        return call("GET", "/v1/gateway/authorize", token=bearer, headers=headers)

    status, _, body = gateway("/a/x", nurse)
    check("control: the gateway permits /a/x with a credential", status == 200, (status, body))
    for label, uri in [
        ("/deep.example/../b/secret", "/deep.example/../b/secret"),
        ("/deep.example/x/../../b/secret", "/deep.example/x/../../b/secret"),
        ("/deep.example/%2e%2e/b/secret", "/deep.example/%2e%2e/b/secret"),
        ("/deep.example/..%2Fb/secret", "/deep.example/..%2Fb/secret"),
        ("/deep.example/.%2e/b/secret", "/deep.example/.%2e/b/secret"),
        ("/a/..%2Fb", "/a/..%2Fb"),
        ("/a%2F..%2Fb/x", "/a%2F..%2Fb/x"),
        ("/%D0%B0/x (Cyrillic, encoded)", "/%D0%B0/x"),
        ("/a%EF%BC%8Fx (fullwidth solidus, encoded)", "/a%EF%BC%8Fx"),
        ("/%E2%84%AA.example/x (Kelvin, encoded)", "/%E2%84%AA.example/x"),
        ("/a/x%00 (NUL)", "/a/x%00"),
        ("/a/x%0Ab/y (newline)", "/a/x%0Ab/y"),
    ]:
        before = snapshot()
        result = gateway(uri, nurse)
        status, headers, body = result
        ok = status in (400, 401, 403) and error_code(body) is not None and not (headers or {}).get("X-Registryd-Binding")
        check(f"gateway refuses {label} (400/401/403 with a code, no binding)", ok, (status, body))
        after = snapshot()
        check(f"gateway {label}: nothing changed", after == before, differences(before, after))

    # ================= SSRF through pull registration =================
    forbidden.hits.clear()
    for label, url in [
        ("127.0.0.1 (another port)", f"http://127.0.0.1:{FORBIDDEN}/introspect"),
        ("localhost", f"http://localhost:{FORBIDDEN}/introspect"),
        ("LOCALHOST", f"http://LOCALHOST:{FORBIDDEN}/introspect"),
        ("[::1]", f"http://[::1]:{FORBIDDEN}/introspect"),
        ("[::ffff:127.0.0.1]", f"http://[::ffff:127.0.0.1]:{FORBIDDEN}/introspect"),
        ("127.1", f"http://127.1:{FORBIDDEN}/introspect"),
        ("0x7f000001", f"http://0x7f000001:{FORBIDDEN}/introspect"),
        ("2130706433", f"http://2130706433:{FORBIDDEN}/introspect"),
        ("0177.0.0.1", f"http://0177.0.0.1:{FORBIDDEN}/introspect"),
        ("0.0.0.0", f"http://0.0.0.0:{FORBIDDEN}/introspect"),
        ("127.0.0.1. (trailing dot)", f"http://127.0.0.1.:{FORBIDDEN}/introspect"),
        ("169.254.169.254 (cloud metadata)", "http://169.254.169.254/latest/meta-data/"),
        ("[fe80::1]", "http://[fe80::1]/introspect"),
        ("the allowed host without its port", "http://127.0.0.1/introspect"),
        ("userinfo naming the allowed host", f"http://127.0.0.1:{ALLOWED}@127.0.0.1:{FORBIDDEN}/introspect"),
        ("the allowed host in the fragment", f"http://127.0.0.1:{FORBIDDEN}#@127.0.0.1:{ALLOWED}/introspect"),
        ("the allowed host in the query", f"http://127.0.0.1:{FORBIDDEN}/introspect?@127.0.0.1:{ALLOWED}"),
        ("the allowed host in the path", f"http://127.0.0.1:{FORBIDDEN}/127.0.0.1:{ALLOWED}/introspect"),
        ("percent-encoded host", f"http://%31%32%37.0.0.1:{FORBIDDEN}/introspect"),
    ]:
        hostile(f"pull from {label}", "POST", "/v1/services/pull", {"url": url}, admin, statuses=(400, 403),
                codes=["pull."])
    for label, url in [("file:///etc/passwd", "file:///etc/passwd"), ("gopher://", f"gopher://127.0.0.1:{ALLOWED}/_x"),
                       ("ftp://", f"ftp://127.0.0.1:{ALLOWED}/introspect"), ("no scheme", f"127.0.0.1:{ALLOWED}/introspect")]:
        hostile(f"pull from {label}", "POST", "/v1/services/pull", {"url": url}, admin, statuses=(400, 403), codes=["pull."])
    # A backslash before `@` is a path separator for WHATWG parsers and a userinfo character for
    # others: refused, or fetched from the allowed host (never from the other one).
    before = snapshot()
    status, _, body = call("POST", "/v1/services/pull",
                           {"url": f"http://127.0.0.1:{FORBIDDEN}\\@127.0.0.1:{ALLOWED}/introspect"}, token=admin)
    if status in (200, 201):
        check("pull with a backslash before @: fetched from the allowed host only", isinstance(body, dict)
              and body.get("name") == "pull.example/Allowed" and not forbidden.hits, (status, body, forbidden.hits))
        call("DELETE", f"/v1/services/{body.get('id')}", token=admin)
    else:
        refused("pull with a backslash before @", (status, None, body), (400, 403, 502), before)
    hostile("pull with extra fields", "POST", "/v1/services/pull",
            {"url": f"http://127.0.0.1:{ALLOWED}/introspect", "host": "127.0.0.1"}, admin, statuses=(400,))
    hostile("pull: allowed host redirects to another loopback port", "POST", "/v1/services/pull",
            {"url": f"http://127.0.0.1:{ALLOWED}/redirect"}, admin, statuses=(400, 403, 502), codes=["pull."])
    hostile("pull: allowed host redirects to localhost", "POST", "/v1/services/pull",
            {"url": f"http://127.0.0.1:{ALLOWED}/redirect-localhost"}, admin, statuses=(400, 403, 502), codes=["pull."])
    hostile("pull: allowed host redirects to 169.254.169.254", "POST", "/v1/services/pull",
            {"url": f"http://127.0.0.1:{ALLOWED}/redirect-metadata"}, admin, statuses=(400, 403, 502), codes=["pull."])
    hostile("pull: the allowed host serves a billion-laughs RDF/XML", "POST", "/v1/services/pull",
            {"url": f"http://127.0.0.1:{ALLOWED}/bomb.rdf"}, admin, statuses=(400, 502))
    hostile("pull: the allowed host serves an external entity", "POST", "/v1/services/pull",
            {"url": f"http://127.0.0.1:{ALLOWED}/xxe.rdf"}, admin, statuses=(400, 502))
    hostile("pull: the allowed host serves 8 MiB", "POST", "/v1/services/pull",
            {"url": f"http://127.0.0.1:{ALLOWED}/huge.json"}, admin, statuses=(400, 413, 502))
    # positive control: the allowed host is fetched
    before_hits = len(allowed.hits)
    status, _, body = call("POST", "/v1/services/pull", {"url": f"http://127.0.0.1:{ALLOWED}/introspect"}, token=admin)
    check("control: pull from the allowed host registers pull.example/Allowed", status in (200, 201)
          and isinstance(body, dict) and body.get("name") == "pull.example/Allowed", (status, body))
    check("control: the allowed host was contacted", len(allowed.hits) > before_hits, allowed.hits)
    # re-pull after the introspect URL starts redirecting
    status, _, body = call("POST", "/v1/services/pull", {"url": f"http://127.0.0.1:{ALLOWED}/switch"}, token=admin)
    check("control: pull from /switch registers pull-switch", status == 201, (status, body))
    switch["redirect"] = True
    hostile("re-pull after the introspect URL redirects to a forbidden port", "POST", "/v1/services/pull-switch/pull",
            token=admin, statuses=(400, 403, 502), codes=["pull."])
    check("SSRF: the forbidden server was never contacted", not forbidden.hits, forbidden.hits)

    # health checks the registry runs itself go only to allowed hosts
    status, _, body = call("POST", "/v1/services",
                           manifest("a/Checked", "checked-a", instance={
                               "check": {"http": f"http://127.0.0.1:{FORBIDDEN}/health", "interval": "1s", "timeout": "1s"}}),
                           token=register_a)
    if status == 201:
        time.sleep(2.5)
        status, _, body = call("GET", "/v1/services/checked-a", token=admin)
        check("health check against a host not allowed: broken", isinstance(body, dict) and body.get("health") == "broken",
              (status, body))
        check("health check: the forbidden server was never contacted", not forbidden.hits, forbidden.hits)
        call("DELETE", "/v1/services/checked-a", token=admin)
    else:
        refused("health check against a host not allowed", (status, None, body), (400, 403))
        check("health check: the forbidden server was never contacted", not forbidden.hits, forbidden.hits)

    # a daemon without --pull-allow refuses even the host the first one may contact
    plain = harness.Daemon(sys.argv[1], prefix="registryd-security-plain-")
    status, _, body = call("POST", "/v1/services/pull", {"url": f"http://127.0.0.1:{ALLOWED}/introspect"}, token=plain.admin,
                           at=plain.base)
    ok = refused("daemon without --pull-allow: pull from 127.0.0.1", (status, None, body), (403,), codes=["pull.host_not_allowed"])
    status, _, listing = call("GET", "/v1/services", token=plain.admin, at=plain.base)
    check("daemon without --pull-allow: nothing registered", isinstance(listing, dict) and not listing.get("services"),
          (status, listing))
    plain.stop()
    plain = None

    # ================= credentials and bindings =================
    doctor = credential(authority_key, {"rank": "AttendingDoctor"})
    api = "sec.example/Api/one"
    status, _, body = decision(api, [doctor])
    binding = body.get("binding") if isinstance(body, dict) else None
    check("control: a doctor's credential gives a binding", isinstance(binding, str), (status, body))
    status, _, jwks = call("GET", "/.well-known/jwks.json")
    kids = [k.get("kid") for k in jwks.get("keys", [])] if isinstance(jwks, dict) else []
    now = int(time.time())
    stranger = ed25519.Ed25519PrivateKey.generate()
    bad_credentials = [
        ("forged signature (unregistered key)", credential(stranger, {"rank": "SeniorDoctor"})),
        ("signature flipped", doctor[:-6] + ("AAAAAA" if not doctor.endswith("AAAAAA") else "BBBBBB")),
        ("wrong authority (unknown issuer)", credential(authority_key, {"rank": "SeniorDoctor"}, iss="insurer.example")),
        ("wrong authority (other.example's key, hospital as iss)", credential(other_key, {"rank": "SeniorDoctor"})),
        ("wrong authority (hospital's key, other.example as iss)",
         credential(authority_key, {"rank": "SeniorDoctor"}, iss="other.example")),
        ("expired", credential(authority_key, {"rank": "SeniorDoctor"}, nbf=now - 7200, exp=now - 60)),
        ("not yet valid", credential(authority_key, {"rank": "SeniorDoctor"}, nbf=now + 3600, exp=now + 7200)),
        ("alg none", unsigned({"alg": "none", "typ": "JWT"}, {"iss": AUTHORITY, "sub": "alice", "nbf": now - 60,
                                                             "exp": now + 3600, "attributes": {"rank": "SeniorDoctor"}})),
        ("alg HS256 keyed with the authority's public key",
         jwt.encode({"iss": AUTHORITY, "sub": "alice", "nbf": now - 60, "exp": now + 3600,
                     "attributes": {"rank": "SeniorDoctor"}}, authority_jwk["x"], algorithm="HS256")),
        ("another subject's credential", credential(authority_key, {"rank": "SeniorDoctor"}, sub="mallory")),
        ("no exp", unsigned({"alg": "EdDSA"}, {"iss": AUTHORITY, "sub": "alice", "attributes": {"rank": "SeniorDoctor"}})),
    ]
    for label, bad in bad_credentials:
        before = snapshot()
        status, _, body = decision(api, [bad])
        check(f"credential {label}: deny without a binding", status == 200 and isinstance(body, dict)
              and body.get("decision") == "deny" and not body.get("binding"), (status, body))
        if label != "another subject's credential":  # at the gateway the credential names the subject
            # docs/policy.md: 401 for a missing, forged or expired credential; a credential not
            # valid yet may also be a policy deny (403)
            statuses = (401, 403) if label == "not yet valid" else (401,)
            status, headers, body = gateway("/" + api, bad)
            check(f"credential {label} at the gateway: {'/'.join(map(str, statuses))} with a code and no binding",
                  status in statuses and error_code(body) is not None and not (headers or {}).get("X-Registryd-Binding"),
                  (status, body))
        after = snapshot()
        check(f"credential {label}: nothing changed", after == before, differences(before, after))

    if isinstance(binding, str):
        status, _, body = gateway("/" + api, binding)
        check("control: the gateway accepts the binding", status == 200, (status, body))
        head, payload, signature = binding.split(".")
        header, claims = decode_part(head), decode_part(payload)
        resigned = jwt.encode(claims, stranger, algorithm="EdDSA", headers={"kid": header.get("kid"), "typ": header.get("typ")})
        unknown_kid = jwt.encode(claims, stranger, algorithm="EdDSA", headers={"kid": "not-a-registryd-key", "typ": header.get("typ")})
        other_api = jwt.encode(dict(claims, api="sec.example/Api/two"), stranger, algorithm="EdDSA",
                               headers={"kid": header.get("kid"), "typ": header.get("typ")})
        none_binding = unsigned({"alg": "none", "kid": header.get("kid"), "typ": header.get("typ")}, claims)
        changed_api = f"{head}.{b64url(json.dumps(dict(claims, api='sec.example/Api/two')).encode())}.{signature}"
        longer = f"{head}.{b64url(json.dumps(dict(claims, exp=claims['exp'] + 86400)).encode())}.{signature}"
        for label, bad in [("re-signed by a key not in the JWKS (kid of a real key)", resigned),
                           ("signed by a key not in the JWKS (unknown kid)", unknown_kid),
                           ("for another API, signed by a key not in the JWKS", other_api),
                           ("alg none", none_binding), ("api changed", changed_api), ("exp extended", longer)]:
            status, headers, body = gateway("/sec.example/Api/two" if "API" in label else "/" + api, bad)
            check(f"binding {label}: 401 with a code", status == 401 and error_code(body) is not None
                  and not (headers or {}).get("X-Registryd-Binding"), (status, body))
        before = snapshot()
        status, headers, body = gateway("/sec.example/Api/two", binding)
        check("binding for one API presented for another: 401/403 with a code", status in (401, 403)
              and error_code(body) is not None and not (headers or {}).get("X-Registryd-Binding"), (status, body))
        status, headers, body = gateway("/" + api, binding, {"X-Registryd-Action": "destroy"})
        check("binding for call presented for destroy: 401/403 with a code", status in (401, 403)
              and error_code(body) is not None, (status, body))
        status, headers, body = gateway("/" + api + "/x", binding)
        check("binding presented for a longer API name: 401/403", status in (401, 403) and error_code(body) is not None,
              (status, body))
        status, headers, body = gateway("/other/" + api, binding, {"X-Registryd-Prefix": "/other"})
        check("control: binding accepted behind a stripped prefix", status == 200, (status, body))
        status, headers, body = gateway("/" + api, binding, tok="")
        check("gateway without its own token: 401 with a code", status == 401 and error_code(body) is not None, (status, body))
        status, headers, body = gateway("/" + api, binding, tok=query_token)
        check("gateway with a query token: 403 with a code", status == 403 and error_code(body) is not None, (status, body))
        hostile("a binding used as a registry bearer token", "POST", "/v1/services", manifest("a/Bound", "bound-a"), binding,
                statuses=(401,))
        after = snapshot()
        check("bindings: nothing changed", after == before, differences(before, after))

        jti = claims.get("jti")
        status, _, body = call("DELETE", f"/v1/bindings/{jti}", token=admin)
        check("binding revoked (admin)", status == 204, (status, body))
        status, headers, body = gateway("/" + api, binding)
        check("revoked binding replayed at the gateway: 401 with a code", status == 401 and error_code(body) is not None
              and not (headers or {}).get("X-Registryd-Binding"), (status, body))
        hostile("decide token revokes a binding", "DELETE", f"/v1/bindings/{jti}", token=decide_token, statuses=(403,))

    # a binding that expired with its credential
    short = credential(authority_key, {"rank": "AttendingDoctor"}, lifetime=2)
    status, _, body = decision(api, [short])
    short_binding = body.get("binding") if isinstance(body, dict) else None
    if check("control: a 2-second credential gives a binding", isinstance(short_binding, str), (status, body)):
        time.sleep(3.5)
        status, headers, body = gateway("/" + api, short_binding)
        check("expired binding at the gateway: 401 with a code", status == 401 and error_code(body) is not None, (status, body))
        status, headers, body = gateway("/" + api, short)
        check("expired credential at the gateway: 401 with a code", status == 401 and error_code(body) is not None, (status, body))

    # ================= XML, JSON, Turtle and SPARQL bombs =================
    bomb_graph = "/rdf-graphs?graph=" + urllib.parse.quote("urn:security:bomb", safe="")
    for label, document in [("billion laughs", BILLION_LAUGHS), ("external entity file:///etc/passwd", XXE),
                            ("external parameter entity over http", XXE_NETWORK), ("quadratic blowup", QUADRATIC)]:
        before = snapshot()
        result = call("POST", "/v1/services", document, admin, content_type="application/rdf+xml")
        refused(f"RDF/XML registration with {label}", result, (400, 413), before)
        check(f"RDF/XML registration with {label}: no file content in the answer", "root:" not in str(result[2]), result[2])
        alive(f"RDF/XML registration with {label}")
        result = call("PUT", bomb_graph, document, admin, content_type="application/rdf+xml")
        refused(f"Graph Store PUT with {label}", result, (400, 413), before)
        result = call("POST", bomb_graph, document, admin, content_type="application/rdf+xml")
        refused(f"Graph Store POST with {label}", result, (400, 413), before)
        check(f"Graph Store with {label}: no file content in the answer", "root:" not in str(result[2]), result[2])
        alive(f"Graph Store upload with {label}")
    # An external DTD subset is never fetched: the document is refused, or read without it.
    doctype_graph = "/rdf-graphs?graph=" + urllib.parse.quote("urn:security:doctype", safe="")
    for method in ["PUT", "POST"]:
        before = snapshot()
        status, _, body = call(method, doctype_graph, EXTERNAL_DOCTYPE, admin, content_type="application/rdf+xml")
        if status in (200, 201, 204):
            _, _, stored = call("GET", doctype_graph, token=admin, headers={"Accept": "application/n-triples"})
            check(f"Graph Store {method} with an external DOCTYPE over http: read without the DTD",
                  "LEAKED" not in str(stored), stored)
            call("DELETE", doctype_graph, token=admin)
        else:
            refused(f"Graph Store {method} with an external DOCTYPE over http", (status, None, body), (400, 413), before)
        status, _, body = call("POST", "/v1/services", EXTERNAL_DOCTYPE, admin, content_type="application/rdf+xml")
        check("RDF/XML registration with an external DOCTYPE over http: refused (no microservice in it)",
              status == 400 and error_code(body) is not None, (status, body))
    check("XML: the forbidden server was never contacted for a DTD", not forbidden.hits, forbidden.hits)
    status, _, body = call("GET", bomb_graph, token=admin)
    check("no bomb graph was created", status == 404, (status, str(body)[:200]))

    depth = 100_000
    for label, path, body, content_type in [
        ("manifest of 100k [", "/v1/services", "[" * depth + "]" * depth, "application/json"),
        ("manifest of 100k {\"a\":", "/v1/services", '{"a":' * depth + "1" + "}" * depth, "application/json"),
        ("manifest with a label nested 100k deep", "/v1/services",
         json.dumps(manifest("a/Deep", "deep-a"))[:-1] + ', "label": ' + "[" * depth + "]" * depth + "}", "application/json"),
        ("Thing Description of 100k [", "/v1/services", "[" * depth, "application/td+json"),
        ("decision of 100k [", "/v1/decisions", "[" * depth + "]" * depth, "application/json"),
        ("decision context nested 100k deep", "/v1/decisions",
         '{"subject":{"id":"a","credentials":[]},"api":"a/x","action":"call","context":{"x":' + "[" * depth + "]" * depth + "}}",
         "application/json"),
        ("token request of 100k [", "/v1/tokens", "[" * depth + "]" * depth, "application/json"),
        ("host of 100k [", "/v1/hosts", "[" * depth + "]" * depth, "application/json"),
        ("pull request of 100k [", "/v1/services/pull", "[" * depth + "]" * depth, "application/json"),
        ("pin of 100k [", "/v1/resolve/pin?name=a/Own", "[" * depth + "]" * depth, "application/json"),
        ("authority of 100k [", "/v1/authorities/deep.example", "[" * depth + "]" * depth, "application/json"),
    ]:
        method = "PUT" if path.startswith(("/v1/resolve/pin", "/v1/authorities")) else "POST"
        hostile(f"{label}", method, path, body, admin if "decision" not in label else decide_token, statuses=(400, 413),
                content_type=content_type)
        alive(label)
    for label, body, content_type in [
        ("Turtle of 100k nested [", "<urn:x:s> <urn:x:p> " + "[ <urn:x:p> " * depth + "1" + " ]" * depth + " .", "text/turtle"),
        ("Turtle of 100k nested (", "<urn:x:s> <urn:x:p> " + "( " * depth + ")" * depth + " .", "text/turtle"),
        ("RDF/XML nested 100k elements deep", '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
         'xmlns:x="urn:x:">' + "<rdf:Description><x:p>" * 20000 + "</x:p></rdf:Description>" * 20000 + "</rdf:RDF>",
         "application/rdf+xml"),
    ]:
        hostile(f"Graph Store PUT with {label}", "PUT", bomb_graph, body, admin, statuses=(400, 413), content_type=content_type)
        alive(label)
    for label, query in [
        ("SPARQL of 100k nested groups", "SELECT * WHERE " + "{ " * depth + "}" * depth),
        ("SPARQL of 100k nested parentheses", "SELECT * WHERE { FILTER(" + "(" * depth + "1" + ")" * depth + ") }"),
        ("SPARQL of 20k nested subqueries", "SELECT * WHERE { " + "{ SELECT * WHERE " * 20000 + "{}" + " }" * 20000 + " }"),
        ("SPARQL of 100k unary minus", "SELECT (" + "-" * depth + "1 AS ?x) WHERE {}"),
        ("SPARQL of 100k ! operators", "SELECT * WHERE { FILTER(" + "!" * depth + "true) }"),
        ("SPARQL property path of 100k nested (", "SELECT * WHERE { ?s " + "(" * depth + "<urn:x:p>" + ")" * depth + " ?o }"),
    ]:
        hostile(label, "POST", "/sparql", query, admin, statuses=(400, 413), content_type="application/sparql-query")
        alive(label)
    hostile("SPARQL update of 100k nested groups", "POST", "/update",
            "INSERT { <urn:x:s> <urn:x:p> 1 } WHERE " + "{ " * depth + "}" * depth, admin, statuses=(400, 413),
            content_type="application/sparql-update")
    alive("SPARQL update of 100k nested groups")
    hostile("policy of 100k nested (", "PUT", "/v1/policies/deep",
            'deep: permit call on "a/*" when ' + "(" * depth + "true" + ")" * depth + ";", admin, statuses=(400, 413),
            content_type="text/plain")
    alive("policy of 100k nested (")
    hostile("policy of 100k nots", "PUT", "/v1/policies/deep",
            'deep: permit call on "a/*" when ' + "not " * depth + "true;", admin, statuses=(400, 413), content_type="text/plain")
    alive("policy of 100k nots")

    for label, change in [
        ("weight 1e999", {"instance": {"id": "huge-a", "weight": "__1e999__"}}),
        ("weight 10^30", {"instance": {"id": "huge-a", "weight": "__1000000000000000000000000000000__"}}),
        ("weight -1", {"instance": {"id": "huge-a", "weight": -1}}),
        ("weight 1.5", {"instance": {"id": "huge-a", "weight": 1.5}}),
        ("ttl 1e308 seconds", {"instance": {"id": "huge-a", "ttl": "__1e308__"}}),
        ("ttl 10^30 seconds", {"instance": {"id": "huge-a", "ttl": "__1000000000000000000000000000000__"}}),
        ("ttl \"99999999999999999999h\"", {"instance": {"id": "huge-a", "ttl": "99999999999999999999h"}}),
        ("ttl NaN", {"instance": {"id": "huge-a", "ttl": "__NaN__"}}),
        ("ttl -1", {"instance": {"id": "huge-a", "ttl": -1}}),
        ("sla availability 1e999", {"objects": [{"name": "a/Huge/obj", "methods": [
            {"name": "m", "sla": {"availability": "__1e999__"}}]}]}),
        ("sla maxLatencyMs -1e999", {"objects": [{"name": "a/Huge/obj", "methods": [
            {"name": "m", "sla": {"maxLatencyMs": "__-1e999__"}}]}]}),
    ]:
        document = manifest("a/Huge", "huge-a")
        document.update(change)
        text = json.dumps(document)
        for marker in ["1e999", "-1e999", "1000000000000000000000000000000", "1e308", "NaN"]:
            text = text.replace(f'"__{marker}__"', marker)
        hostile(f"manifest with {label}", "POST", "/v1/services", text, register_a, statuses=(400,),
                content_type="application/json")
    hostile("host with ttl 1e308", "POST", "/v1/hosts", '{"id": "huge-host", "ttl": 1e308}', admin, statuses=(400,),
            content_type="application/json")
    hostile("pin with generation 1e30", "PUT", "/v1/resolve/pin?name=a/Own",
            '{"generation": 1000000000000000000000000000000, "instances": ["own-a"]}', admin, statuses=(400, 409),
            content_type="application/json")
    for label, path in [("services index 10^30", "/v1/services?index=1000000000000000000000000000000&wait=1s"),
                        ("services index 1e30", "/v1/services?index=1e30&wait=1s"),
                        ("services index -1", "/v1/services?index=-1&wait=1s"),
                        ("resolve index 10^30", "/v1/resolve?name=a/Own&index=1000000000000000000000000000000&wait=1s"),
                        ("hosts index 10^30", "/v1/hosts?index=1000000000000000000000000000000&wait=1s"),
                        ("events since 10^30", "/v1/events?since=1000000000000000000000000000000"),
                        ("events since -5", "/v1/events?since=-5"),
                        ("wait 10^30 ms", "/v1/services?index=1&wait=1000000000000000000000000000000ms"),
                        ("wait 1e308", "/v1/services?index=1&wait=1e308")]:
        before = snapshot()
        try:
            result = status_only(path, admin)
        except Exception as error:
            result = (None, None, repr(error))
        if survived(label):
            check(f"{label}: 400 with a code, or an answer", (result[0] == 400 and error_code(result[2]) is not None)
                  or result[0] in (200, "open"), (result[0], str(result[2])[:200]))
            after = snapshot()
            check(f"{label}: nothing changed", after == before, differences(before, after))
    started = time.monotonic()
    try:
        result = call("GET", "/v1/services?index=1&wait=99999999999999999999s", token=admin)
    except Exception as error:
        result = (None, None, repr(error))
    check("list with wait=10^20 s (index already passed): 200 or 400, at once",
          result[0] in (200, 400) and time.monotonic() - started < 30, (result[0], str(result[2])[:200]))
    alive("huge numbers")

    # ================= oversized bodies =================
    size = 100 << 20
    peak_before, rss_before = rss_kib(pid, "VmHWM"), rss_kib(pid)
    for label, path, content_type, chunked in [
        ("registration (limit 1 MiB)", "/v1/services", "application/json", False),
        ("Graph Store POST (limit 64 MiB)", bomb_graph, "text/turtle", False),
        ("Graph Store POST, chunked", bomb_graph, "text/turtle", True),
        ("SPARQL update", "/update", "application/sparql-update", False),
        ("SPARQL query", "/sparql", "application/sparql-query", False),
        ("decision", "/v1/decisions", "application/json", False),
        ("registration, chunked", "/v1/services", "application/json", True),
    ]:
        before = snapshot()
        started = time.monotonic()
        with MemorySampler() as memory:
            status, sent, body = send_large(path, size, content_type, admin, chunked)
        elapsed = time.monotonic() - started
        if not survived(f"a 100 MiB body to {label}"):
            refused(f"100 MiB body to {label}", (status, None, body), (413,))
            continue
        refused(f"100 MiB body to {label}", (status, None, body), (413,), before)
        check(f"100 MiB body to {label}: RSS grew by less than the body (100 MiB)", memory.peak - memory.start < 100 << 10,
              f"VmRSS {memory.start >> 10} -> peak {memory.peak >> 10} MiB, {sent >> 20} MiB sent in {elapsed:.1f} s")
        print(f"security: 100 MiB body to {label}: {status}, VmRSS {memory.start >> 10} -> peak {memory.peak >> 10} MiB, "
              f"{sent >> 20} MiB sent in {elapsed:.1f} s")
        alive(f"a 100 MiB body to {label}")
    rss_after = rss_kib(pid)
    print(f"security: daemon RSS {rss_before >> 10} -> {rss_after >> 10} MiB, peak {peak_before >> 10} -> "
          f"{rss_kib(pid, 'VmHWM') >> 10} MiB over the oversized bodies")
    check("RSS after the oversized bodies below 512 MiB", rss_after < 512 << 10, rss_after)

    # ================= after a restart: revocations and tokens still hold =================
    daemon.stop(keep=True)
    data = daemon.data
    daemon = harness.Daemon(sys.argv[1], data=data, args=DAEMON_ARGS)
    daemon.owns_data = True
    base, pid = daemon.base, daemon.pid
    if isinstance(binding, str):
        status, headers, body = gateway("/" + api, binding)
        check("after a restart: the revoked binding is still refused (401)", status == 401 and error_code(body) is not None,
              (status, body))
    if doomed:
        hostile("after a restart: the revoked token is still refused", "POST", "/v1/services", manifest("a/Late", "late-a"),
                doomed, statuses=(401,))
    alive("everything")
except Exception as error:  # a crash in the script is a failure, not a silent pass
    import traceback
    traceback.print_exc()
    check("script ran to the end", False, repr(error))
finally:
    daemon.stop()
    if plain is not None:
        plain.stop()
    forbidden.shutdown()
    allowed.shutdown()

checks.finish()
