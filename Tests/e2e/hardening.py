"""End-to-end hardening: attacks on the gateway adapter (through a real nginx and directly), on
SPARQL (ReDoS, invalid UTF-8, LOAD of local files and URLs) and on the maintenance loop (a hung
health check, a pull that drips its answer). Each attack is checked against real `registryd serve`
processes; every helper server is a thread of this script. Prints `hardening: N passed, N failed`.

    apt-get install -y nginx; python3 -m pip install PyJWT cryptography
    python3 Tests/e2e/hardening.py .build/debug/registryd
"""
import base64
import http.client
import json
import os
import re
import shutil
import signal
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
import types
import urllib.parse
import warnings
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import harness
import jwt
from cryptography.hazmat.primitives.asymmetric import ed25519

warnings.filterwarnings("ignore", message=".*EdDSA is deprecated.*")

BINARY = sys.argv[1]
EXAMPLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples", "nginx", "registryd-gateway.conf")
NGINX = next((path for path in ["/usr/sbin/nginx", shutil.which("nginx")] if path and os.access(path, os.X_OK)), None)
AUTHORITY = "hospital.example"
RANKS = """\
domain Rank = Nurse < AttendingDoctor < SeniorDoctor;
attribute subject.rank : Rank from authority "hospital.example";
"""
POLICY = RANKS + """\
attribute context.method : String;
public: permit call on "shop.example/Public/**" when subject.rank >= Nurse;
admin: permit call on "shop.example/Admin/**" when subject.rank >= SeniorDoctor;
docs: permit call on "shop.example/Docs/**" when subject.rank >= Nurse and context.method == "GET";
feed: permit subscribe on "shop.example/Feed/**" when subject.rank >= Nurse;
"""
BYPASS_POLICY = RANKS + """\
shop: permit call on "shop.example/**" when subject.rank >= Nurse;
admin-only: forbid call on "shop.example/Admin/**" unless subject.rank >= SeniorDoctor;
"""
# What the auth_request location must clear: a client must never choose the API, action or prefix.
CLEARED = ["X-Registryd-API", "X-Registryd-Action", "X-Registryd-Prefix", "X-Registryd-Binding", "X-Registryd-Subject"]
REFUSED_URIS = [  # judged under another name than the one the upstream serves
    "/shop.example/Admin;jsessionid=1/delete", "/shop.example/Admin%3Bx/delete", "/shop.example/Admin%23x/delete",
    "/shop.example/Admin%2Fdelete", "/shop.example/Public/%2E%2E/Admin/delete", "/shop.example/Public/%2e%2e/Admin/delete",
    "/shop.example//Admin/delete", "/shop.example/./Admin/delete", "/shop.example/Public/../Admin/delete",
]

checks = harness.Checks("hardening")
check = checks.check
work = tempfile.mkdtemp(prefix="registryd-hardening-")
daemons, servers = [], []
nginx = None


# --- helpers ---

free_port = harness.free_port


def start(label, *args):
    try:
        daemon = harness.Daemon(BINARY, prefix="registryd-hardening-", args=list(args))
    except Exception as error:
        check(f"daemon starts ({label}: serve {' '.join(args)})", False, repr(error))
        return types.SimpleNamespace(port=free_port(), admin="none")  # every request to it: connection refused
    daemons.append(daemon)
    return daemon


def stop(daemon):
    """SIGTERM, SIGKILL after 3 s (a daemon stuck in a query must not hold the script up)."""
    if daemon not in daemons:
        return
    daemons.remove(daemon)
    daemon.stop(timeout=3)


def request(port, method, path, headers=None, body=None, timeout=30):
    """One raw request (http.client: the path is sent as given); (status, headers, text, JSON or None).
    The status is None when no answer came (the error is the text)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        try:
            parsed = json.loads(text)
        except ValueError:
            parsed = None
        return response.status, response.headers, text, parsed
    except (OSError, http.client.HTTPException) as error:
        return None, {}, repr(error), None
    finally:
        connection.close()


def bearer(token):
    return {"Authorization": f"Bearer {token}"} if token else {}


def code(parsed):
    return parsed.get("error", {}).get("code") if isinstance(parsed, dict) and isinstance(parsed.get("error"), dict) else None


def admin_json(daemon, method, path, body, content_type="application/json", timeout=30):
    data = body if isinstance(body, bytes) else body.encode() if isinstance(body, str) else json.dumps(body).encode()
    return request(daemon.port, method, path, {**bearer(daemon.admin), "Content-Type": content_type}, data, timeout)


def credential(key, rank, now=int(time.time())):
    claims = {"iss": AUTHORITY, "sub": "alice", "nbf": now - 60, "exp": now + 3600, "attributes": {"rank": rank}}
    return jwt.encode(claims, key, algorithm="EdDSA")


def payload(token):
    """The claims of a compact JWS, unverified ({} when it is none)."""
    part = (token.split(".") + ["", ""])[1]
    try:
        return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    except ValueError:
        return {}


def setup_access(daemon, key, policy):
    """Registers the authority and the policy; returns a decide token for the gateway."""
    jwk = jwt.algorithms.OKPAlgorithm.to_jwk(key.public_key(), as_dict=True)
    for label, path, body, kind in [("authority registered", f"/v1/authorities/{AUTHORITY}", {"keys": [jwk]}, "application/json"),
                                    ("policy stored", "/v1/policies/shop", policy, "text/plain")]:
        status, _, text, _ = admin_json(daemon, "PUT", path, body, kind)
        check(f"setup: {label}", status in (200, 201, 204), (status, text))
    status, _, text, parsed = admin_json(daemon, "POST", "/v1/tokens", {"scopes": ["decide"], "description": "nginx"})
    token = parsed.get("token") if isinstance(parsed, dict) else None
    check("setup: decide token created", isinstance(token, str), (status, text))
    return token or "none"


def authorize(daemon, token, uri, credential_or_binding, method="GET", extra=None):
    """GET /v1/gateway/authorize as nginx's subrequest would ask it."""
    headers = {"X-Registryd-Token": token, "X-Original-URI": uri, "X-Original-Method": method,
               **bearer(credential_or_binding), **(extra or {})}
    return request(daemon.port, "GET", "/v1/gateway/authorize", headers)


def select(daemon, query, timeout=30):
    form = urllib.parse.urlencode({"query": query}).encode()
    return request(daemon.port, "POST", "/sparql", {**bearer(daemon.admin), "Accept": "application/sparql-results+json",
                                                    "Content-Type": "application/x-www-form-urlencoded"}, form, timeout)


def rows(result):
    try:
        return [{k: v["value"] for k, v in row.items()} for row in result[3]["results"]["bindings"]] if result[0] == 200 else None
    except (KeyError, TypeError):
        return None


def ask(daemon, query):
    parsed = select(daemon, query)[3]
    return parsed.get("boolean") if isinstance(parsed, dict) else None


def update(daemon, text):
    return admin_json(daemon, "POST", "/update", text, "application/sparql-update")


# --- helper servers, all threads of this process ---

class Upstream(BaseHTTPRequestHandler):
    """The protected service: 200 "upstream ok", echoing the binding nginx passed on; and /d.ttl for LOAD."""
    def answer(self):
        raw = b'<http://e/remote> <http://e/p> "remote" .\n' if self.path == "/d.ttl" else b"upstream ok"
        self.send_response(200)
        self.send_header("Content-Type", "text/turtle" if self.path == "/d.ttl" else "text/plain")
        self.send_header("Content-Length", str(len(raw)))
        self.send_header("X-Upstream-Saw-Binding", self.headers.get("X-Registryd-Binding", ""))
        self.end_headers()
        self.wfile.write(raw)

    do_GET = do_POST = do_PUT = do_DELETE = do_PROPFIND = answer

    def log_message(self, *args):
        pass


def http_server(handler):
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    servers.append(server)
    return server.server_address[1]


class TCPServer(socketserver.ThreadingTCPServer):
    """A loopback TCP server; `handle(connection, stop)` runs in a thread for each connection."""
    daemon_threads = True

    def __init__(self, handle):
        self.stop = threading.Event()
        server = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self):
                try:
                    self.request.settimeout(5)
                    handle(self.request, server.stop)
                except OSError:
                    pass
        super().__init__(("127.0.0.1", 0), Handler)
        self.port = self.server_address[1]
        threading.Thread(target=self.serve_forever, daemon=True).start()
        servers.append(self)

    def shutdown(self):
        self.stop.set()
        super().shutdown()
        self.server_close()


def hung(connection, stop):
    stop.wait()  # accepts, reads nothing, never answers


def drip(connection, stop):
    """/head: a status line, then one header byte a second; else a whole head, then one body byte a second."""
    head = b""
    while b"\r\n\r\n" not in head and len(head) < 65536:
        chunk = connection.recv(4096)
        if not chunk:
            return
        head += chunk
    if b" /head" in head.split(b"\r\n", 1)[0]:
        connection.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
        byte = b"a"
    else:
        connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n")
        byte = b" "
    while not stop.wait(1):
        connection.sendall(byte)


# --- nginx ---

def auth_location(registryd_port, token):
    """The auth_request location in the shape examples/nginx/registryd-gateway.conf must have."""
    cleared = "\n".join(f'            proxy_set_header {name} "";' for name in CLEARED)
    return f"""
        location = /_registryd {{
            internal;
            proxy_pass http://127.0.0.1:{registryd_port}/v1/gateway/authorize;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_pass_request_body off;
            proxy_set_header Content-Length "";
            proxy_set_header X-Original-URI $request_uri;
            proxy_set_header X-Original-Method $request_method;
            proxy_set_header X-Registryd-Token "{token}";
{cleared}
        }}"""


def example_auth_location(registryd_port, token):
    """The shipped example's `location = /_registryd` block, pointed at this daemon (None if absent)."""
    found = re.search(r"location\s*=\s*/_registryd\s*\{[^}]*\}", open(EXAMPLE).read())
    if not found:
        return None
    return (found.group(0).replace("http://registryd/", f"http://127.0.0.1:{registryd_port}/")
            .replace("REGISTRYD_DECIDE_TOKEN", token))


def gateway_server(port, auth, upstream_port):
    return f"""
    server {{
        listen 127.0.0.1:{port};
        location /shop.example/ {{
            auth_request /_registryd;
            auth_request_set $registryd_binding $upstream_http_x_registryd_binding;
            proxy_set_header X-Registryd-Binding $registryd_binding;
            proxy_set_header Authorization "";
            proxy_pass http://127.0.0.1:{upstream_port};
        }}
        {auth}
    }}"""


def example_problems():
    """Locations of the shipped example that proxy to the adapter without fixing API, action and prefix."""
    text = "\n".join(line.split("#", 1)[0] for line in open(EXAMPLE).read().splitlines())
    problems = []
    for name, body in re.findall(r"location\s+([^{]*)\{([^}]*)\}", text):
        if "/v1/gateway/authorize" not in body:
            continue
        for header in ["X-Registryd-API", "X-Registryd-Action", "X-Registryd-Prefix"]:
            value = re.search(rf"proxy_set_header\s+{header}\s+([^;]*);", body, re.IGNORECASE)
            if not value or "$" in value.group(1):
                problems.append(f"{name.strip()}: {header} not cleared or fixed")
    return problems


def start_nginx(servers_text):
    global nginx
    with open(f"{work}/nginx.conf", "w") as conf:
        conf.write(harness.nginx_config(work, servers_text))
    test = subprocess.run([NGINX, "-t", "-p", work, "-c", f"{work}/nginx.conf"], capture_output=True, text=True)
    check("nginx -t accepts the configuration", test.returncode == 0, test.stderr)
    nginx = subprocess.Popen([NGINX, "-p", work, "-c", f"{work}/nginx.conf", "-g", "daemon off;"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    port = int(re.search(r"listen 127.0.0.1:(\d+)", servers_text).group(1))
    for _ in range(100):  # up to 10 s for nginx to listen
        if nginx.poll() is not None or request(port, "GET", "/", timeout=0.5)[0] is not None:
            break
        time.sleep(0.1)
    return check("nginx started", nginx.poll() is None, nginx.stderr.read() if nginx.poll() is not None else "")


def through(port, path, token, method="GET", extra=None):
    return request(port, method, path, {**bearer(token), **(extra or {})})


def expect(label, result, status, error_code=None):
    """A check that `result` (from `request`) has `status` (and the error code, when given)."""
    ok = result[0] == status and (error_code is None or code(result[3]) == error_code)
    return check(f"{label}: {status}" + (f" {error_code}" if error_code else ""), ok, (result[0], result[2][:300]))


try:
    key = ed25519.Ed25519PrivateKey.generate()
    nurse, senior = credential(key, "Nurse"), credential(key, "SeniorDoctor")

    # ================= 1. Gateway =================
    for label, text in [("policy", POLICY), ("bypass policy", BYPASS_POLICY)]:
        with open(f"{work}/{label.replace(' ', '-')}.policy", "w") as policy_file:
            policy_file.write(text)
        result = subprocess.run([BINARY, "policy", "check", policy_file.name], capture_output=True, text=True)
        check(f"policy check accepts the {label}", result.returncode == 0, result.stdout + result.stderr)

    problems = example_problems()
    check("examples/nginx/registryd-gateway.conf: every adapter location clears or fixes X-Registryd-API/Action/Prefix",
          not problems, problems)

    main = start("gateway")
    main_token = setup_access(main, key, POLICY)
    bypass = start("gateway, bypass policy")
    bypass_token = setup_access(bypass, key, BYPASS_POLICY)
    upstream_port = http_server(Upstream)
    ports = {"test": free_port(), "bypass": free_port(), "example": free_port()}
    example_auth = example_auth_location(main.port, main_token)
    config = (gateway_server(ports["test"], auth_location(main.port, main_token), upstream_port)
              + gateway_server(ports["bypass"], auth_location(bypass.port, bypass_token), upstream_port)
              + (gateway_server(ports["example"], example_auth, upstream_port) if example_auth else ""))
    if NGINX is None:
        checks.skip("gateway checks through nginx", "nginx not installed")
    elif start_nginx(config):
        test, example = ports["test"], ports["example"] if example_auth else free_port()
        expect("nginx: Nurse GET /shop.example/Public/read", through(test, "/shop.example/Public/read", nurse), 200)
        expect("nginx: Nurse GET /shop.example/Admin/delete", through(test, "/shop.example/Admin/delete", nurse), 403)
        # a client's own X-Registryd-* headers: through the test config and through the shipped example's
        for config_name, port in [("test", test), ("example", example)]:
            for label, path, extra in [
                    ("X-Registryd-API", "/shop.example/Admin/delete", {"X-Registryd-API": "shop.example/Public/read"}),
                    ("X-Registryd-Prefix", "/shop.example/Admin/shop.example/Public/read",
                     {"X-Registryd-Prefix": "/shop.example/Admin"}),
                    ("X-Registryd-Action", "/shop.example/Feed/x", {"X-Registryd-Action": "subscribe"})]:
                expect(f"nginx ({config_name} config): Nurse GET {path} with client header {label}",
                       through(port, path, nurse, extra=extra), 403)

        # names that are no API names: refused, not judged under another name
        for uri in REFUSED_URIS:
            expect(f"nginx: Nurse GET {uri}", through(ports["bypass"], uri, nurse), 403)
        expect("nginx (bypass policy): control: Nurse GET /shop.example/Public/read?x=1",
               through(ports["bypass"], "/shop.example/Public/read?x=1", nurse), 200)

        # the method is part of the decision and of the binding
        result = through(test, "/shop.example/Docs/a", nurse)
        expect("nginx: Nurse GET /shop.example/Docs/a (context.method GET)", result, 200)
        binding = (result[1].get("X-Upstream-Saw-Binding") or "none") if result[0] == 200 else "none"
        check("the binding from GET has the claim method GET", payload(binding).get("method") == "GET", payload(binding))
        expect("nginx: Nurse DELETE /shop.example/Docs/a", through(test, "/shop.example/Docs/a", nurse, "DELETE"), 403)
        expect("nginx: the GET binding for DELETE /shop.example/Docs/a",
               through(test, "/shop.example/Docs/a", binding, "DELETE"), 403)
        expect("nginx: the GET binding for GET /shop.example/Docs/a", through(test, "/shop.example/Docs/a", binding), 200)
        expect("nginx: Nurse PROPFIND /shop.example/Public/read",
               through(test, "/shop.example/Public/read", nurse, "PROPFIND"), 403)
        check("nginx still running", nginx.poll() is None)

    # the adapter itself, without nginx
    expect("adapter: control: Nurse on /shop.example/Public/read",
           authorize(main, main_token, "/shop.example/Public/read", nurse), 200)
    expect("adapter: X-Registryd-API is not honoured by default", authorize(
        main, main_token, "/shop.example/Admin/delete", nurse, extra={"X-Registryd-API": "shop.example/Public/read"}), 403)
    expect("adapter: X-Registryd-Action is not honoured by default", authorize(
        main, main_token, "/shop.example/Feed/x", nurse, extra={"X-Registryd-Action": "subscribe"}), 403)
    expect("adapter: X-Original-Method PROPFIND", authorize(main, main_token, "/shop.example/Public/read", nurse,
                                                          method="PROPFIND"), 403, "gateway.refused_method")
    for uri in REFUSED_URIS:
        results = [authorize(bypass, bypass_token, uri, who) for who in (nurse, senior)]
        check(f"adapter: {uri} refused for Nurse and SeniorDoctor: 403 gateway.refused_uri",
              all(r[0] == 403 and code(r[3]) == "gateway.refused_uri" for r in results),
              [(r[0], r[2][:200]) for r in results])
    # /v1/decisions takes the same names: one holding `;`, `#` or `?` is refused, not judged
    for api in ["shop.example/Admin;jsessionid=1/delete", "shop.example/Admin#x", "shop.example/Admin?x=1"]:
        result = request(bypass.port, "POST", "/v1/decisions", {**bearer(bypass_token), "Content-Type": "application/json"},
                         json.dumps({"subject": {"id": "nurse", "credentials": [nurse]}, "api": api,
                                     "action": "call"}).encode())
        check(f"POST /v1/decisions for {api}: 400, not judged", result[0] == 400 and code(result[3]) is not None,
              result[:3:2])
    for daemon in (main, bypass):
        stop(daemon)

    # ================= 2. SPARQL =================
    sparql = start("sparql", "--query-timeout", "2")
    found = rows(select(sparql, 'SELECT * WHERE { FILTER(REGEX("abc", "^a.c$")) }'))
    check("REGEX(\"abc\", \"^a.c$\"): 1 row", found is not None and len(found) == 1, found)
    found = rows(select(sparql, 'SELECT ?r WHERE { BIND(REPLACE("banana", "a(n)", "<$1>") AS ?r) }'))
    check("REPLACE(\"banana\", \"a(n)\", \"<$1>\"): b<n><n>a", found == [{"r": "b<n><n>a"}], found)

    result = request(sparql.port, "POST", "/sparql", {**bearer(sparql.admin), "Content-Type": "application/sparql-query"},
                     b'SELECT * WHERE { ?s ?p "\xff\xfe" }')
    check("POST /sparql with invalid UTF-8: 400 with a JSON error", result[0] == 400 and code(result[3]), result[:3:2])
    expect("GET /sparql?query= with invalid UTF-8", request(sparql.port, "GET", "/sparql?query=SELECT%20*%20WHERE%20%7B"
                                                            "%20%3Fs%20%3Fp%20%22%FF%22%20%7D", bearer(sparql.admin)), 400)
    expect("POST /update with invalid UTF-8", update(sparql, b'INSERT DATA { <http://e/s> <http://e/p> "\xff" }'), 400)
    check("... and nothing was inserted", ask(sparql, "ASK { <http://e/s> ?p ?o }") is False)

    result = update(sparql, "LOAD <file:///etc/passwd>")
    expect("LOAD <file:///etc/passwd>", result, 403, "sparql.load_forbidden")
    check("LOAD <file:///etc/passwd>: no line of the file in the answer", "root:" not in result[2], result[2][:300])
    result = update(sparql, "LOAD <file:///nonexistent/x.ttl>")
    check("LOAD <file:///nonexistent/x.ttl>: 4xx", result[0] is not None and 400 <= result[0] < 500, result[:3:2])
    expect("LOAD <http://127.0.0.1:PORT/d.ttl> without --pull-allow",
           update(sparql, f"LOAD <http://127.0.0.1:{upstream_port}/d.ttl>"), 403)

    # catastrophic backtracking: bounded by --query-timeout, and the daemon still answers
    began = time.time()
    result = select(sparql, 'SELECT * WHERE { BIND("' + "a" * 28 + '!" AS ?s) FILTER(REGEX(?s, "^(a+)+$")) }', timeout=8)
    elapsed = time.time() - began
    status, _, text, parsed = result
    check("REGEX \"^(a+)+$\" on 28 a's: no rows or 503 sparql.timeout, within 5 s", elapsed < 5 and (
        (status == 200 and rows(result) == []) or (status == 503 and code(parsed) == "sparql.timeout")),
        (status, round(elapsed, 1), text[:200]))
    expect("the daemon answers /health right after", request(sparql.port, "GET", "/health", timeout=3), 200)
    stop(sparql)

    # --load-allow-dir: only files inside DIR, only RDF, no contents in errors
    load_dir = os.path.join(work, "load")
    os.mkdir(load_dir)
    with open(os.path.join(load_dir, "ok.ttl"), "w") as ok:
        ok.write('<http://e/ok> <http://e/p> "ok" .\n')
    with open(os.path.join(load_dir, "secret.txt"), "w") as secret:
        secret.write("SECRET-LINE-42 is not rdf\n")
    os.symlink("/etc/passwd", os.path.join(load_dir, "link.ttl"))
    loader = start("load", "--load-allow-dir", load_dir, "--pull-allow", f"127.0.0.1:{upstream_port}")
    traversal = load_dir + "/.." * len(load_dir.strip("/").split("/")) + "/etc/passwd"
    for label, operation, statuses, secret in [
            ("LOAD <file://DIR/ok.ttl> INTO GRAPH", f"LOAD <file://{load_dir}/ok.ttl> INTO GRAPH <http://e/g>", [204], None),
            ("LOAD <file://DIR/missing.ttl>", f"LOAD <file://{load_dir}/missing.ttl>", [404], None),
            ("LOAD <file://DIR/../../etc/passwd>", f"LOAD <file://{traversal}>", [403], "root:"),
            ("LOAD of a symlink in DIR to /etc/passwd", f"LOAD <file://{load_dir}/link.ttl>", [400, 403], "root:"),
            ("LOAD <file://DIR/secret.txt>", f"LOAD <file://{load_dir}/secret.txt>", [400], "SECRET-LINE-42"),
            ("with --load-allow-dir, LOAD <file:///etc/passwd>", "LOAD <file:///etc/passwd>", [403], "root:"),
            ("with --pull-allow, LOAD <http://127.0.0.1:PORT/d.ttl>",
             f"LOAD <http://127.0.0.1:{upstream_port}/d.ttl> INTO GRAPH <http://e/h>", [204], None)]:
        status, _, text, _ = update(loader, operation)
        check(f"{label}: {'/'.join(map(str, statuses))}" + (f", without {secret!r} in the answer" if secret else ""),
              status in statuses and not (secret and secret in text), (status, text[:300]))
    check("... the loaded triples are queryable", ask(loader, 'ASK { GRAPH <http://e/g> { <http://e/ok> <http://e/p> "ok" } }')
          and ask(loader, "ASK { GRAPH <http://e/h> { <http://e/remote> ?p ?o } }"))
    stop(loader)

    # ================= 3. Maintenance =================
    hung_server, drip_server = TCPServer(hung), TCPServer(drip)
    keeper = start("maintenance", "--pull-allow", f"127.0.0.1:{hung_server.port}", "--pull-allow", f"127.0.0.1:{drip_server.port}")
    expect("a service whose health check never answers is registered", admin_json(keeper, "POST", "/v1/services", {
        "name": "maint.example/Hung", "version": "1.0.0", "instance": {"id": "hung-check", "check": {
            "http": f"http://127.0.0.1:{hung_server.port}/health", "interval": "1s", "timeout": "30s"}}}), 201)
    time.sleep(1.5)  # let the check start and hang
    expect("a service with a 2 s lease is registered", admin_json(keeper, "POST", "/v1/services", {
        "name": "maint.example/Leased", "version": "1.0.0", "instance": {"id": "leased", "ttl": "2s"}}), 201)
    registered = time.time()
    gone = False
    while not gone and time.time() < registered + 3.5:
        time.sleep(0.1)
        gone = request(keeper.port, "GET", "/v1/services/leased", bearer(keeper.admin),
                       timeout=max(0.2, registered + 3.5 - time.time()))[0] == 404
    check("the unrenewed lease expires within ttl + 1.5 s despite a hung health check", gone, "still there after 3.5 s")
    admin_json(keeper, "DELETE", "/v1/services/hung-check", {})

    pulls = {}

    def pull(path):  # both at once: each may take the whole client timeout
        began, url = time.time(), f"http://127.0.0.1:{drip_server.port}{path}"
        pulls[path] = (admin_json(keeper, "POST", "/v1/services/pull", {"url": url}, timeout=20), time.time() - began)
    threads = [threading.Thread(target=pull, args=(path,), daemon=True) for path in ("/introspect", "/head")]
    for thread in threads:
        thread.start()
    for thread, (path, label) in zip(threads, [("/introspect", "body"), ("/head", "head")]):
        thread.join(25)
        (status, _, text, _), elapsed = pulls.get(path, ((None, None, "no answer", None), 99))
        check(f"pull from a server dripping its {label}: 4xx/5xx within 15 s", status is not None and status >= 400
              and elapsed <= 15, (status, round(elapsed, 1), text[:200]))
    stop(keeper)
except Exception as error:  # a crash in the script is a failure, not a silent pass
    import traceback
    traceback.print_exc()
    check("script ran to the end", False, repr(error))
finally:
    if nginx is not None and nginx.poll() is None:
        for stop_signal in (signal.SIGQUIT, signal.SIGTERM, signal.SIGKILL):
            nginx.send_signal(stop_signal)
            try:
                nginx.wait(timeout=10)
                break
            except subprocess.TimeoutExpired:
                continue
    for daemon in list(daemons):
        stop(daemon)
    for server in servers:
        server.shutdown()
    shutil.rmtree(work, ignore_errors=True)

checks.finish()
