"""End-to-end: `registryd serve --tls-cert --tls-key --tls-client-ca` with certificates made by the
openssl command line. curl checks HTTPS, the refusal of plain HTTP and of untrusted client
certificates, and that a verified client certificate authenticates its client with the
`--tls-client-scope` scopes; nginx, as a TLS client presenting a client certificate and
verifying registryd's, runs `auth_request` against `/v1/gateway/authorize` without any token.
Prints `tls: N passed, N failed`.

    python3 Tests/e2e/tls.py .build/debug/registryd
"""
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import harness
import jwt
from cryptography.hazmat.primitives.asymmetric import ed25519

checks = harness.Checks("tls")
check = checks.check
work = tempfile.mkdtemp(prefix="registryd-tls-")
NGINX = next((path for path in ["/usr/sbin/nginx", shutil.which("nginx")] if path and os.access(path, os.X_OK)), None)
CURL = shutil.which("curl")


def openssl(*args):
    subprocess.run(["openssl", *args], cwd=work, check=True, capture_output=True)


def make_certificates():
    """A CA, a server certificate for 127.0.0.1, a client certificate it signs, and a stranger's
    client certificate signed by another CA."""
    for ca in ["ca", "rogue-ca"]:
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
                "-keyout", f"{ca}.key", "-out", f"{ca}.pem", "-subj", f"/CN=registryd test {ca}")
    with open(f"{work}/server.ext", "w") as ext:
        ext.write("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    leaves = [("server", "ca", "127.0.0.1", "server.ext"), ("gateway", "ca", "gateway-1", None),
              ("stranger", "rogue-ca", "gateway-1", None)]
    for name, ca, cn, ext in leaves:
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", f"{name}.key",
                "-out", f"{name}.csr", "-subj", f"/CN={cn}")
        openssl("x509", "-req", "-in", f"{name}.csr", "-CA", f"{ca}.pem", "-CAkey", f"{ca}.key", "-CAcreateserial",
                "-days", "2", "-out", f"{name}.pem", *(["-extfile", ext] if ext else []))


def curl(path, *args, token=None, method="GET", data=None, scheme="https"):
    """(curl's exit code, HTTP status, body) for one request to the daemon."""
    command = [CURL, "-sS", "--noproxy", "*", "-o", f"{work}/body", "-w", "%{http_code}", "-X", method,
               "--max-time", "10", f"{scheme}://127.0.0.1:{daemon.port}{path}", *args]
    if token:
        command += ["-H", f"Authorization: Bearer {token}"]
    if data is not None:
        command += ["-H", "Content-Type: application/json", "--data-binary", data]
    result = subprocess.run(command, capture_output=True, text=True)
    body = open(f"{work}/body").read() if os.path.exists(f"{work}/body") else ""
    if os.path.exists(f"{work}/body"):
        os.unlink(f"{work}/body")
    return result.returncode, result.stdout.strip(), body


make_certificates()
ca, server, gateway, stranger = (f"{work}/{n}" for n in ["ca", "server", "gateway", "stranger"])
CA = ["--cacert", f"{ca}.pem"]
GATEWAY = CA + ["--cert", f"{gateway}.pem", "--key", f"{gateway}.key"]
STRANGER = CA + ["--cert", f"{stranger}.pem", "--key", f"{stranger}.key"]

# A bad key file is one clear line and no start.
bad = subprocess.run([sys.argv[1], "serve", "--port", "0", "--data", f"{work}/bad-data", "--tls-cert", f"{server}.pem",
                      "--tls-key", f"{ca}.pem"], capture_output=True, text=True, timeout=30)
check("a --tls-key that is not a key: exit 1 with one line naming it",
      bad.returncode != 0 and "--tls-key" in bad.stderr and len(bad.stderr.strip().splitlines()) == 1, bad.stderr)

daemon = harness.Daemon(sys.argv[1], prefix="registryd-tls-data-",
                        args=["--tls-cert", f"{server}.pem", "--tls-key", f"{server}.key", "--tls-client-ca", f"{ca}.pem"])
nginx = upstream = None
try:
    code, status, body = curl("/health", *CA)
    check("HTTPS with the server certificate verified by curl", code == 0 and status == "200", (code, status, body))
    code, status, body = curl("/health", scheme="http")
    check("plain HTTP on the TLS port gets no HTTP answer", status != "200", (code, status, body))
    code, status, body = curl("/v1/services", *CA, token=daemon.admin)
    check("a bearer token works over TLS without a client certificate", status == "200", (code, status, body))
    code, status, body = curl("/v1/services", *CA)
    check("without a certificate or token: 401", status == "401" and "auth.unauthenticated" in body, (status, body))

    decision = json.dumps({"subject": {"id": "alice"}, "api": "shop.example/Cart", "action": "call"})
    code, status, body = curl("/v1/decisions", *GATEWAY, method="POST", data=decision)
    check("a verified client certificate authenticates with the decide scope", status == "200" and '"decision"' in body,
          (code, status, body))
    code, status, body = curl("/v1/tokens", *GATEWAY)
    check("the certificate's scopes are only decide (admin route: 403)", status == "403" and "cert:gateway-1" in body,
          (status, body))
    code, status, body = curl("/v1/decisions", *STRANGER, method="POST", data=decision)
    check("a client certificate from another CA fails the handshake", code != 0 and status in ("000", ""), (code, status, body))
    code, status, body = curl("/v1/decisions", *CA, "-H", "X-Registryd-Client-Certificate: gateway-1", method="POST",
                              data=decision)
    check("a client cannot claim a certificate with a header", status == "401", (status, body))

    if NGINX is None:
        print("tls: nginx not installed; the nginx checks are skipped")
    else:
        # The access setup nginx will enforce: an authority, a policy, credentials.
        authority_key = ed25519.Ed25519PrivateKey.generate()
        jwk = jwt.algorithms.OKPAlgorithm.to_jwk(authority_key.public_key(), as_dict=True)
        base = f"https://127.0.0.1:{daemon.port}"
        import ssl
        context = ssl.create_default_context(cafile=f"{ca}.pem")
        harness.opener = harness.urllib.request.build_opener(harness.urllib.request.ProxyHandler({}),
                                                             harness.urllib.request.HTTPSHandler(context=context))
        status, _, body = harness.call(base, "PUT", "/v1/authorities/hospital.example", {"keys": [jwk]}, token=daemon.admin)
        check("authority registered over TLS", status in (200, 201), (status, body))
        policy = ('domain Rank = Nurse < AttendingDoctor;\n'
                  'attribute subject.rank : Rank from authority "hospital.example";\n'
                  'shop: permit call on "shop.example/**" when subject.rank >= AttendingDoctor;\n')
        status, _, body = harness.call(base, "PUT", "/v1/policies/shop", policy, token=daemon.admin, content_type="text/plain")
        check("policy stored over TLS", status in (200, 201), (status, body))
        now = int(time.time())

        def credential(rank):
            return jwt.encode({"iss": "hospital.example", "sub": "alice", "nbf": now - 60, "exp": now + 3600,
                               "attributes": {"rank": rank}}, authority_key, algorithm="EdDSA")

        class Upstream(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Length", "11")
                self.end_headers()
                self.wfile.write(b"upstream ok")

        upstream = ThreadingHTTPServer(("127.0.0.1", 0), Upstream)
        threading.Thread(target=upstream.serve_forever, daemon=True).start()
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            nginx_port = probe.getsockname()[1]
        with open(f"{work}/nginx.conf", "w") as conf:
            conf.write(harness.nginx_config(work, f"""
    server {{
        listen 127.0.0.1:{nginx_port};
        location /shop.example/ {{
            auth_request /_registryd;
            proxy_pass http://127.0.0.1:{upstream.server_address[1]};
        }}
        location = /_registryd {{
            internal;
            proxy_pass https://127.0.0.1:{daemon.port}/v1/gateway/authorize;
            proxy_pass_request_body off;
            proxy_set_header Content-Length "";
            proxy_set_header X-Original-URI $request_uri;
            proxy_ssl_certificate {gateway}.pem;
            proxy_ssl_certificate_key {gateway}.key;
            proxy_ssl_trusted_certificate {ca}.pem;
            proxy_ssl_verify on;
            proxy_ssl_name localhost;
        }}
    }}
""", access_log=False))
        nginx = subprocess.Popen([NGINX, "-p", work, "-c", f"{work}/nginx.conf", "-g", "daemon off;"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", nginx_port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.1)

        def through_nginx(token):
            connection = http.client.HTTPConnection("127.0.0.1", nginx_port, timeout=30)
            try:
                connection.request("GET", "/shop.example/Cart/items", headers={"Authorization": f"Bearer {token}"})
                response = connection.getresponse()
                return response.status, response.read().decode()
            finally:
                connection.close()

        def error_log():
            try:
                return open(f"{work}/error.log").read()[-800:]
            except OSError:
                return ""

        status, text = through_nginx(credential("AttendingDoctor"))
        check("nginx (client certificate, no token) passes a permitted request", status == 200 and text == "upstream ok",
              (status, text, error_log()))
        status, text = through_nginx(credential("Nurse"))
        check("nginx (client certificate) refuses a denied request with 403", status == 403, (status, error_log()))
        status, text = through_nginx("not-a-credential")
        check("nginx (client certificate) refuses a bad credential with 401", status == 401, (status, error_log()))
finally:
    if nginx:
        nginx.terminate()
        nginx.wait(10)
    if upstream:
        upstream.shutdown()
    daemon.stop()
    shutil.rmtree(work, ignore_errors=True)

checks.finish()
