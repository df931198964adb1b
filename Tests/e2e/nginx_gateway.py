"""End-to-end: nginx as a policy enforcement point in front of an upstream, asking a real
`registryd serve` through `auth_request` (`GET /v1/gateway/authorize`). The nginx configuration has
the shape of `examples/nginx/registryd-gateway.conf`. Prints `nginx-gateway: N passed, N failed`
(or `nginx-gateway: skipped (nginx not installed)`).

    apt-get install -y nginx; python3 -m pip install PyJWT cryptography
    python3 Tests/e2e/nginx_gateway.py .build/debug/registryd
"""
import base64
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

NGINX = next((path for path in ["/usr/sbin/nginx", shutil.which("nginx")] if path and os.access(path, os.X_OK)), None)
if NGINX is None:
    print("nginx-gateway: skipped (nginx not installed)")
    sys.exit(0)

import harness  # noqa: E402
import jwt  # noqa: E402  (after the skip, so a machine without nginx needs nothing else)
from cryptography.hazmat.primitives.asymmetric import ed25519  # noqa: E402

AUTHORITY = "hospital.example"
POLICY = """\
# nginx-gateway: doctors may call the shop
domain Rank = Nurse < AttendingDoctor < SeniorDoctor;
attribute subject.rank : Rank from authority "hospital.example";

shop: permit call on "shop.example/**" when subject.rank >= AttendingDoctor;
"""

checks = harness.Checks("nginx-gateway")
check = checks.check
b64url = harness.b64url
opener = harness.opener
work = tempfile.mkdtemp(prefix="registryd-nginx-conf-")
# X-Registryd-Prefix, -API and -Action are set by the locations below: an admin opts in.
daemon = harness.Daemon(sys.argv[1], prefix="registryd-nginx-", args=["--gateway-headers"])
registryd, admin, registryd_port = daemon.base, daemon.admin, daemon.port
nginx = None
upstream = None


free_port = harness.free_port




def call(method, path, body=None, token=None, headers=None, content_type=None):
    """A request to registryd; returns (status, parsed JSON or text)."""
    status, _, answer = harness.call(registryd, method, path, body, token, headers, content_type)
    return status, answer


def through_nginx(path, token=None, method="GET", body=None):
    """A request to nginx (http.client: no proxy, no redirects); returns (status, headers, text)."""
    connection = http.client.HTTPConnection("127.0.0.1", nginx_port, timeout=30)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if body is not None:
        headers["Content-Type"] = "application/json"
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.headers, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def events_until(marker, seconds=5):
    """The text of `GET /v1/events?since=0` (Server-Sent Events) read until `marker` or `seconds`."""
    connection = http.client.HTTPConnection("127.0.0.1", registryd_port, timeout=seconds)
    text, deadline = "", time.time() + seconds
    try:
        connection.request("GET", "/v1/events?since=0", headers={"Authorization": f"Bearer {admin}"})
        response = connection.getresponse()
        while marker not in text and time.time() < deadline:
            chunk = response.fp.readline()
            if not chunk:
                break
            text += chunk.decode("utf-8", "replace")
    except (OSError, http.client.HTTPException):
        pass
    finally:
        connection.close()
    return text


def credential(key, attributes, sub="alice", iss=AUTHORITY, nbf=None, exp=None):
    now = int(time.time())
    return jwt.encode({"iss": iss, "sub": sub, "nbf": now - 60 if nbf is None else nbf,
                       "exp": now + 3600 if exp is None else exp, "attributes": attributes}, key, algorithm="EdDSA")


def verified(binding):
    """The claims of a binding verified against registryd's JWKS, or None."""
    try:
        _, jwks = call("GET", "/.well-known/jwks.json")
        kid = jwt.get_unverified_header(binding).get("kid")
        return jwt.decode(binding, key=jwt.PyJWKSet.from_dict(jwks)[kid], algorithms=["EdDSA"])
    except Exception as error:
        print(f"  (binding does not verify: {error!r})")
        return None


class Upstream(BaseHTTPRequestHandler):
    """Answers 200 "upstream ok" and echoes the binding nginx passed on."""
    seen = []  # (method, path, headers) of every request that reached the upstream

    def log_message(self, *args):
        pass

    def answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        Upstream.seen.append((self.command, self.path, dict(self.headers.items()), body))
        raw = b"upstream ok"
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(raw)))
        self.send_header("X-Upstream-Saw-Binding", self.headers.get("X-Registryd-Binding", ""))
        self.end_headers()
        self.wfile.write(raw)

    do_GET = do_POST = do_PUT = do_DELETE = answer


def auth_location(name, extra=""):
    """The internal location nginx's auth_request asks; `extra` adds proxy_set_header lines."""
    return f"""
        location = {name} {{
            internal;
            proxy_pass http://127.0.0.1:{registryd_port}/v1/gateway/authorize;
            proxy_pass_request_body off;
            proxy_set_header Content-Length "";
            proxy_set_header X-Original-URI $request_uri;
            proxy_set_header X-Original-Method $request_method;
            proxy_set_header X-Forwarded-Uri "";
            proxy_set_header X-Forwarded-Method "";
            proxy_set_header X-Registryd-Token "{gateway_token}";
            {extra}
        }}"""


def protected(prefix, auth, upstream_uri=""):
    return f"""
        location {prefix} {{
            auth_request {auth};
            auth_request_set $binding $upstream_http_x_registryd_binding;
            proxy_set_header X-Registryd-Binding $binding;
            proxy_pass http://127.0.0.1:{upstream_port}{upstream_uri};
        }}"""


def nginx_conf():
    return harness.nginx_config(work, f"""
    server {{
        listen 127.0.0.1:{nginx_port};
        {protected("/shop.example/", "/_registryd")}
        {protected("/other.example/", "/_registryd")}
        {protected("/gw/", "/_registryd_gw", "/")}
        {protected("= /cart", "/_registryd_cart")}
        {protected("/admin/shop.example/", "/_registryd_destroy")}
        {auth_location("/_registryd")}
        {auth_location("/_registryd_gw", 'proxy_set_header X-Registryd-Prefix "/gw";')}
        {auth_location("/_registryd_cart", 'proxy_set_header X-Registryd-API "shop.example/Cart";')}
        {auth_location("/_registryd_destroy", 'proxy_set_header X-Registryd-Action "destroy";')}
    }}
""")


def error_log_tail():
    try:
        return open(f"{work}/error.log").read()[-1500:]
    except OSError:
        return ""


try:

    # --- registryd: authority, policy, a decide token for nginx ---
    authority_key = ed25519.Ed25519PrivateKey.generate()
    jwk = jwt.algorithms.OKPAlgorithm.to_jwk(authority_key.public_key(), as_dict=True)
    status, body = call("PUT", f"/v1/authorities/{AUTHORITY}", {"keys": [jwk]}, token=admin)
    check("authority registered", status in (200, 201, 204), (status, body))
    status, body = call("PUT", "/v1/policies/shop", POLICY, token=admin, content_type="text/plain")
    check("policy stored", status in (200, 201, 204), (status, body))
    status, body = call("POST", "/v1/tokens", {"scopes": ["decide"], "description": "nginx"}, token=admin)
    gateway_token = body.get("token") if isinstance(body, dict) else None
    check("decide token for nginx created", status == 201 and isinstance(gateway_token, str), (status, body))
    gateway_token = gateway_token or "none"

    # --- upstream and nginx ---
    upstream = ThreadingHTTPServer(("127.0.0.1", 0), Upstream)
    upstream_port = upstream.server_address[1]
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    nginx_port = free_port()
    with open(f"{work}/nginx.conf", "w") as conf:
        conf.write(nginx_conf())
    test = subprocess.run([NGINX, "-t", "-p", work, "-c", f"{work}/nginx.conf"], capture_output=True, text=True)
    check("nginx -t accepts the configuration", test.returncode == 0, test.stderr)
    nginx = subprocess.Popen([NGINX, "-p", work, "-c", f"{work}/nginx.conf", "-g", "daemon off;"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    for _ in range(100):  # up to 10 s for nginx to listen
        try:
            socket.create_connection(("127.0.0.1", nginx_port), timeout=0.5).close()
            break
        except OSError:
            if nginx.poll() is not None:
                break
            time.sleep(0.1)
    if not check("nginx started", nginx.poll() is None, nginx.stderr.read() if nginx.poll() is not None else ""):
        raise SystemExit

    doctor = credential(authority_key, {"rank": "AttendingDoctor"})
    nurse = credential(authority_key, {"rank": "Nurse"})
    forged = credential(ed25519.Ed25519PrivateKey.generate(), {"rank": "SeniorDoctor"})
    expired = credential(authority_key, {"rank": "SeniorDoctor"}, nbf=int(time.time()) - 7200,
                         exp=int(time.time()) - 60)

    # --- a credential: a decision on the spot ---
    reached = len(Upstream.seen)
    status, headers, text = through_nginx("/shop.example/Cart/items?page=2", doctor)
    check("AttendingDoctor credential: 200 through nginx", status == 200, (status, text, error_log_tail()))
    check("AttendingDoctor credential: the upstream's body", text == "upstream ok", text)
    saw = headers.get("X-Upstream-Saw-Binding", "")
    check("the upstream saw a binding", saw.count(".") == 2, headers)
    check("the upstream saw the original path", len(Upstream.seen) > reached
          and Upstream.seen[-1][1] == "/shop.example/Cart/items?page=2", Upstream.seen[-1:])
    check("the gateway token never reaches the upstream", all(
        "x-registryd-token" not in {k.lower() for k in seen[2]} for seen in Upstream.seen), Upstream.seen[-1:])
    claims = verified(saw) if saw else None
    check("the upstream's binding verifies against the JWKS", claims is not None)
    if claims:
        check("binding api is the path without / and query", claims.get("api") == "shop.example/Cart/items", claims)
        check("binding act is call", claims.get("act") == "call", claims)
        check("binding sub is the credential's subject", claims.get("sub") == "alice", claims)

    status, headers, text = through_nginx("/shop.example/Cart/items", doctor, method="POST", body='{"sku": 7}')
    check("POST with a body through nginx: 200", status == 200, (status, text, error_log_tail()))
    check("POST: the upstream got the body", Upstream.seen and Upstream.seen[-1][0] == "POST"
          and Upstream.seen[-1][3] == b'{"sku": 7}', Upstream.seen[-1:])

    reached = len(Upstream.seen)
    status, _, text = through_nginx("/shop.example/Cart/items")
    check("no Authorization: 401", status == 401, (status, text))
    status, _, text = through_nginx("/shop.example/Cart/items", nurse)
    check("Nurse credential: 403", status == 403, (status, text))
    status, _, text = through_nginx("/shop.example/Cart/items", forged)
    check("forged credential (unregistered key): 401", status == 401, (status, text))
    status, _, text = through_nginx("/shop.example/Cart/items", expired)
    check("expired credential: 401", status == 401, (status, text))
    status, _, text = through_nginx("/shop.example/Cart/items", "not-a-jws")
    check("garbage bearer token: 401", status == 401, (status, text))
    status, _, text = through_nginx("/other.example/Cart/items", doctor)
    check("AttendingDoctor on an API outside the policy: 403", status == 403, (status, text))
    status, _, text = through_nginx("/admin/shop.example/Cart", doctor)
    check("X-Registryd-Action destroy (not permitted): 403", status == 403, (status, text))
    check("refused requests never reach the upstream", len(Upstream.seen) == reached, Upstream.seen[reached:])

    status, headers, text = through_nginx("/gw/shop.example/Cart", doctor)
    check("X-Registryd-Prefix /gw: 200", status == 200, (status, text, error_log_tail()))
    claims = verified(headers.get("X-Upstream-Saw-Binding", "")) if status == 200 else None
    check("X-Registryd-Prefix /gw: api without the prefix", claims is not None
          and claims.get("api") == "shop.example/Cart", claims)
    status, headers, text = through_nginx("/cart", doctor)
    check("X-Registryd-API: 200", status == 200, (status, text, error_log_tail()))
    claims = verified(headers.get("X-Upstream-Saw-Binding", "")) if status == 200 else None
    check("X-Registryd-API names the api", claims is not None and claims.get("api") == "shop.example/Cart", claims)

    # --- a binding issued earlier ---
    _, decide_answer = call("POST", "/v1/decisions", {"subject": {"id": "alice", "credentials": [doctor]},
                                                      "api": "shop.example/Cart/items", "action": "call"},
                            token=gateway_token)
    binding = decide_answer.get("binding") if isinstance(decide_answer, dict) else None
    if check("POST /v1/decisions gives a binding", isinstance(binding, str), decide_answer):
        jti = (verified(binding) or {}).get("jti")
        status, headers, text = through_nginx("/shop.example/Cart/items", binding)
        check("binding as bearer: 200", status == 200 and text == "upstream ok", (status, text, error_log_tail()))
        check("binding as bearer: the upstream sees a binding", headers.get("X-Upstream-Saw-Binding", "").count(".") == 2,
              headers)
        status, _, text = through_nginx("/shop.example/Cart/other", binding)
        check("binding for another API: refused (401/403)", status in (401, 403), (status, text))
        head, payload, signature = binding.split(".")
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        claims["api"] = "shop.example/Cart/other"
        tampered = ".".join([head, b64url(json.dumps(claims).encode()), signature])
        status, _, text = through_nginx("/shop.example/Cart/other", tampered)
        check("tampered binding: 401", status == 401, (status, text))

        status, body = call("DELETE", f"/v1/bindings/{jti}", token=admin)
        check("DELETE /v1/bindings/{jti} (admin)", status in (200, 204), (status, body))
        events = events_until(str(jti))
        check("event binding.revoked names the jti", any(
            "binding.revoked" in line and str(jti) in line for line in events.splitlines()), events[-600:])
        status, _, text = through_nginx("/shop.example/Cart/items", binding)
        check("revoked binding: 401", status == 401, (status, text))
        status, _, text = through_nginx("/shop.example/Cart/items", doctor)
        check("the credential still works after the binding's revocation", status == 200, (status, text))

    # --- the adapter itself: the gateway must authenticate ---
    status, _ = call("GET", "/v1/gateway/authorize", token=doctor,
                     headers={"X-Original-URI": "/shop.example/Cart/items"})
    check("adapter without X-Registryd-Token: refused (401/403)", status in (401, 403), status)
    status, _ = call("GET", "/v1/gateway/authorize", token=doctor,
                     headers={"X-Original-URI": "/shop.example/Cart/items", "X-Registryd-Token": admin + "x"})
    check("adapter with a wrong X-Registryd-Token: refused (401/403)", status in (401, 403), status)
    check("nginx still running", nginx.poll() is None, error_log_tail())
except SystemExit:
    pass
except Exception as error:  # a crash in the script is a failure, not a silent pass
    import traceback
    traceback.print_exc()
    check("script ran to the end", False, repr(error))
finally:
    if nginx is not None and nginx.poll() is None:
        for stop in (signal.SIGQUIT, signal.SIGTERM, signal.SIGKILL):  # graceful, fast, then forced
            nginx.send_signal(stop)
            try:
                nginx.wait(timeout=10)
                break
            except subprocess.TimeoutExpired:
                continue
    if upstream is not None:
        upstream.shutdown()
    daemon.stop()
    shutil.rmtree(work, ignore_errors=True)

checks.finish()
