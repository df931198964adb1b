"""End-to-end: Caddy's `forward_auth` in front of an upstream, asking a real `registryd serve`
(`/v1/gateway/authorize`, the original request in `X-Forwarded-Method`/`X-Forwarded-Uri`). The
Caddy configuration is `examples/caddy/Caddyfile` itself, with its addresses and token replaced.
Prints `caddy-gateway: N passed, N failed` (or `caddy-gateway: skipped (caddy not installed)`).

    apt-get install -y caddy; python3 -m pip install PyJWT cryptography
    python3 Tests/e2e/caddy_gateway.py .build/debug/registryd
"""
import http.client
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CADDY = shutil.which("caddy")
if CADDY is None:
    print("caddy-gateway: skipped (caddy not installed)")
    sys.exit(0)

import harness  # noqa: E402
import jwt  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ed25519  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
AUTHORITY = "hospital.example"
POLICY = """\
domain Rank = Nurse < AttendingDoctor < SeniorDoctor;
attribute subject.rank : Rank from authority "hospital.example";

shop: permit call on "shop.example/Cart/**" when subject.rank >= AttendingDoctor;
"""

checks = harness.Checks("caddy-gateway")
check = checks.check


class Upstream(BaseHTTPRequestHandler):
    """Answers 200 and records what reached it."""
    seen = []

    def log_message(self, *args):
        pass

    def answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        Upstream.seen.append((self.command, self.path, dict(self.headers.items())))
        self.send_response(200)
        self.send_header("Content-Length", "11")
        self.end_headers()
        self.wfile.write(b"upstream ok")

    do_GET = do_POST = do_PUT = do_DELETE = answer


def credential(key, rank, sub="alice"):
    now = int(time.time())
    return jwt.encode({"iss": AUTHORITY, "sub": sub, "nbf": now - 60, "exp": now + 3600, "attributes": {"rank": rank}},
                      key, algorithm="EdDSA")


def through_caddy(port, path, token=None, method="GET", headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    sent = dict(headers or {})
    if token:
        sent["Authorization"] = f"Bearer {token}"
    try:
        connection.request(method, path, body=b"{}" if method in ("POST", "PUT") else None, headers=sent)
        response = connection.getresponse()
        return response.status, response.headers, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def caddyfile(caddy_port, registryd_port, upstream_port, token):
    """The shipped example, pointed at this test's servers."""
    text = open(os.path.join(ROOT, "examples/caddy/Caddyfile")).read()
    for old, new in [("gateway.example {", f"{{\n\tadmin off\n\tauto_https off\n}}\n\n:{caddy_port} {{\n\tbind 127.0.0.1"),
                     ("127.0.0.1:8470", f"127.0.0.1:{registryd_port}"), ("10.0.0.20:8080", f"127.0.0.1:{upstream_port}"),
                     ("REGISTRYD_DECIDE_TOKEN", token)]:
        if old not in text:
            raise RuntimeError(f"examples/caddy/Caddyfile no longer has `{old}`")
        text = text.replace(old, new)
    return text


def main():
    daemon = harness.Daemon(sys.argv[1], prefix="registryd-caddy-")
    work = tempfile.mkdtemp(prefix="registryd-caddy-conf-")
    upstream = ThreadingHTTPServer(("127.0.0.1", 0), Upstream)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    caddy = None
    try:
        admin = daemon.admin
        key = ed25519.Ed25519PrivateKey.generate()
        jwk = jwt.algorithms.OKPAlgorithm.to_jwk(key.public_key(), as_dict=True)
        status, _, body = harness.call(daemon.base, "PUT", f"/v1/authorities/{AUTHORITY}", {"keys": [jwk]}, token=admin)
        check("authority registered", status in (200, 201, 204), (status, body))
        status, _, body = harness.call(daemon.base, "PUT", "/v1/policies/shop", POLICY, token=admin, content_type="text/plain")
        check("policy stored", status == 200, (status, body))
        status, _, body = harness.call(daemon.base, "POST", "/v1/tokens", {"scopes": ["decide"], "description": "caddy"}, token=admin)
        gateway_token = body.get("token", "none") if isinstance(body, dict) else "none"

        caddy_port = harness.free_port()
        config = os.path.join(work, "Caddyfile")
        with open(config, "w") as file:
            file.write(caddyfile(caddy_port, daemon.port, upstream.server_address[1], gateway_token))
        environment = dict(os.environ, HOME=work, XDG_DATA_HOME=work, XDG_CONFIG_HOME=work)
        caddy = subprocess.Popen([CADDY, "run", "--config", config, "--adapter", "caddyfile"], env=environment,
                                 stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "caddy.log"), "w"))
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", caddy_port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        if not check("caddy starts with the example configuration", caddy.poll() is None,
                     open(os.path.join(work, "caddy.log")).read()[-1500:]):
            return

        doctor = credential(key, "AttendingDoctor")
        nurse = credential(key, "Nurse", sub="bob")

        status, headers, _ = through_caddy(caddy_port, "/shop.example/Cart/items")
        check("no credential: 401 with a Bearer challenge, upstream not reached",
              status == 401 and "Bearer" in (headers.get("WWW-Authenticate") or "") and not Upstream.seen, (status, Upstream.seen))

        status, _, text = through_caddy(caddy_port, "/shop.example/Cart/items?page=2", doctor,
                                        headers={"X-Registryd-Binding": "forged-by-client"})
        reached = Upstream.seen[-1] if Upstream.seen else (None, None, {})
        binding = reached[2].get("X-Registryd-Binding", "")
        _, _, jwks = harness.call(daemon.base, "GET", "/.well-known/jwks.json")
        try:
            claims = jwt.decode(binding, key=jwt.PyJWKSet.from_dict(jwks)[jwt.get_unverified_header(binding)["kid"]], algorithms=["EdDSA"])
        except Exception as error:  # noqa: BLE001
            claims = {"error": repr(error)}
        check("a permitted GET reaches the upstream", status == 200 and text == "upstream ok" and reached[1] == "/shop.example/Cart/items?page=2",
              (status, text, reached[1]))
        check("the upstream gets registryd's binding (not the client's header), for call on the path's API and GET",
              claims.get("api") == "shop.example/Cart/items" and claims.get("act") == "call" and claims.get("method") == "GET", claims)
        check("the upstream does not see the client's credential", "Authorization" not in reached[2], list(reached[2]))

        status, _, text = through_caddy(caddy_port, "/shop.example/Cart/items", nurse)
        check("the policy's refusal is Caddy's answer: 403", status == 403 and "gateway.denied" in text, (status, text))

        count = len(Upstream.seen)
        status, _, _ = through_caddy(caddy_port, "/shop.example/Cart/items", binding)
        check("the binding itself is a credential for the same request", status == 200 and len(Upstream.seen) == count + 1, status)
        status, _, text = through_caddy(caddy_port, "/shop.example/Cart/items", binding, method="POST")
        check("the method comes from X-Forwarded-Method: a GET binding does not open a POST", status == 403, (status, text))

        status, _, text = through_caddy(caddy_port, "/shop.example/Vault/open", doctor,
                                        headers={"X-Original-URI": "/shop.example/Cart/items", "X-Original-Method": "GET",
                                                 "X-Registryd-API": "shop.example/Cart/items"})
        check("a client's X-Original-URI and X-Registryd-API do not choose what is judged", status == 403, (status, text))
        status, _, body = harness.call(daemon.base, "GET", "/v1/gateway/authorize", token=gateway_token,
                                       headers={"X-Forwarded-Uri": "/other.example/Vault", "X-Original-URI": "/shop.example/Cart/items",
                                                "Authorization": f"Bearer {doctor}", "X-Registryd-Token": gateway_token})
        check("two different original URIs are refused, not judged (gateway.ambiguous_request)",
              status == 403 and body.get("error", {}).get("code") == "gateway.ambiguous_request", (status, body))

        status, _, body = harness.call(daemon.base, "DELETE", f"/v1/bindings/{claims.get('jti')}", token=admin)
        check("the binding is revoked", status in (200, 204), (status, body))
        status, _, _ = through_caddy(caddy_port, "/shop.example/Cart/items", binding)
        check("a revoked binding is refused on the next request: 401", status == 401, status)
    finally:
        if caddy:
            caddy.terminate()
            try:
                caddy.wait(timeout=10)
            except subprocess.TimeoutExpired:
                caddy.kill()
        upstream.shutdown()
        daemon.stop()
        shutil.rmtree(work, ignore_errors=True)
    checks.finish()


main()
