"""What the end-to-end scripts share: a real `registryd serve` on a free loopback port, a
pass/fail tally printed as `NAME: N passed, N failed`, and a small HTTP client that never uses a
proxy."""
import base64
import getpass
import grp
import os
import json
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request

# Loopback only: never through a proxy from the environment.
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class Checks:
    """Counts checks; a failed one prints its name and detail."""

    def __init__(self, name):
        self.name, self.passed, self.failed, self.skipped = name, 0, 0, []

    def check(self, what, condition, detail=""):
        if condition:
            self.passed += 1
            if os.environ.get("E2E_VERBOSE"):
                print(f"ok {what}"[:300])
        else:
            self.failed += 1
            print(f"FAIL {what} {detail}"[:2000])
        return condition

    def skip(self, what, reason):
        """Records checks that were not run, with why; they are listed by `finish`."""
        self.skipped.append((what, reason))

    def finish(self):
        """Prints the skipped checks and the tally, and exits, non-zero when anything failed."""
        for what, reason in self.skipped:
            print(f"SKIP {what}: {reason}")
        skipped = f", {len(self.skipped)} skipped" if self.skipped else ""
        print(f"{self.name}: {self.passed} passed, {self.failed} failed{skipped}")
        sys.exit(1 if self.failed else 0)


class Daemon:
    """`registryd serve --port 0` on a fresh data directory; `base` and `admin` once it listens.

    With `data=DIR` it serves that directory and leaves it in place on `stop()` (for restarts on the
    same data); `args` adds options to `serve` (e.g. `["--pull-allow", "127.0.0.1:8080"]`). `kill()`
    ends it with SIGKILL and keeps the data; `stop(keep=True)` keeps a fresh directory too."""

    def __init__(self, binary, prefix="registryd-e2e-", data=None, args=()):
        self.owns_data = data is None
        self.data = tempfile.mkdtemp(prefix=prefix) if data is None else data
        self.process = subprocess.Popen([binary, "serve", "--port", "0", "--data", self.data, "--log-level", "warning",
                                         *args], stdout=subprocess.PIPE, text=True)
        self.pid = self.process.pid
        line = self.process.stdout.readline()
        while line and "listening on" not in line:  # the first start prints the admin token before
            line = self.process.stdout.readline()
        found = re.search(r":(\d+)\s*$", line)
        if not found:
            self.stop()
            raise RuntimeError("registryd serve did not start")
        self.port = int(found.group(1))
        self.base = f"http://127.0.0.1:{self.port}"
        # A cluster node joining a site that has its admin token already creates none.
        token_file = f"{self.data}/admin.token"
        self.admin = open(token_file).read().strip() if os.path.exists(token_file) else None

    def stop(self, keep=False, timeout=10):
        """SIGTERM (SIGKILL after `timeout` s); removes the data directory it created unless `keep`."""
        self.process.terminate()
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()
        if self.owns_data and not keep:
            shutil.rmtree(self.data, ignore_errors=True)

    def kill(self):
        """SIGKILL, as a crash would; the data directory stays."""
        self.process.kill()
        self.process.wait()
        self.process.stdout.close()


def call(base, method, path, body=None, token=None, headers=None, content_type=None):
    """One request; returns (status, headers, parsed JSON or text). A dict or list body is sent as JSON."""
    if isinstance(body, (dict, list)):
        body, content_type = json.dumps(body).encode(), content_type or "application/json"
    elif isinstance(body, str):
        body = body.encode()
    request = urllib.request.Request(base + path, data=body, method=method)
    if content_type:
        request.add_header("Content-Type", content_type)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        response = opener.open(request, timeout=30)
        status, answer_headers, raw = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, answer_headers, raw = error.code, error.headers, error.read()
    text = raw.decode("utf-8", "replace")
    try:
        return status, answer_headers, json.loads(text)
    except ValueError:
        return status, answer_headers, text


def authority(daemon, name):
    """Registers an attribute authority `name` with a fresh Ed25519 key (checked: 2xx) and returns
    the private key, to sign credentials with PyJWT (`jwt.encode(..., key, algorithm="EdDSA")`)."""
    import jwt
    from cryptography.hazmat.primitives.asymmetric import ed25519
    key = ed25519.Ed25519PrivateKey.generate()
    jwk = jwt.algorithms.OKPAlgorithm.to_jwk(key.public_key(), as_dict=True)
    status, _, body = call(daemon.base, "PUT", f"/v1/authorities/{name}", {"keys": [jwk]}, token=daemon.admin)
    if status not in (200, 201, 204):
        raise RuntimeError(f"PUT /v1/authorities/{name}: {status} {body}")
    return key


def free_port():
    """A TCP port free on loopback now (for a server started next)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def b64url(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def nginx_config(work, servers, access_log=True):
    """A whole nginx.conf for a test nginx run as this user with its files under `work`, around the
    given `server { }` blocks."""
    user = ""
    if os.geteuid() == 0:  # a root master would start its workers as nobody, who cannot write under TMP
        user = f"user {getpass.getuser()} {grp.getgrgid(os.getegid()).gr_name};"
    temp = "\n".join(f"    {kind}_temp_path {work}/{kind}_temp;" for kind in ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"])
    return f"""
{user}
worker_processes 1;
error_log {work}/error.log warn;
pid {work}/nginx.pid;
events {{ worker_connections 64; }}
http {{
    access_log {f"{work}/access.log" if access_log else "off"};
{temp}
{servers}
}}
"""
