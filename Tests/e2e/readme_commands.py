"""End-to-end: every command README.md shows, in its order, on a fresh data directory, as a
newcomer would type them (`scripts/registryd` stands for the built binary, which the real script
builds first). Prints `readme-commands: N passed, N failed, N skipped`.

    python3 Tests/e2e/readme_commands.py .build/debug/registryd

The commands run in a temporary folder holding `examples/` and the files the README names as
placeholders (`site.rdf`, `ontology.ttl`, `ontology.owl`, TLS certificates made with openssl).
Port 8470 is replaced by a free port; `/var/backups/` and `/srv/rdf` by folders of the temporary
one. A command that needs the daemon stopped (demo, import, query, update, convert, restore, export)
stops it first; the others start it when it is not running. curl gets `--fail-with-body`, so an
HTTP error fails the command; `-N` (a stream) gets `--max-time 3`.
"""
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

import harness

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = os.path.abspath(sys.argv[1])
checks = harness.Checks("readme-commands")
check = checks.check
OFFLINE = re.compile(r"^scripts/registryd (demo|import|query|update|convert|restore|export)\b")
NOT_RUN = {"scripts/test": "the test suite itself (this script runs inside it)",
           "swift run conformance": "run by scripts/test after this script"}


def commands(readme):
    """The lines of the README's `sh` blocks, continuations joined, trailing comments dropped."""
    lines, block, pending = [], False, ""
    for line in open(readme, encoding="utf-8"):
        if line.startswith("```"):
            block = line.strip() == "```sh"
            continue
        if not block:
            continue
        line = re.sub(r"\s{2,}#.*$", "", line.rstrip("\n")).rstrip()
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        if (pending + line).strip():
            lines.append((pending + line).strip())
        pending = ""
    return lines


free_port = harness.free_port


def placeholders(work):
    """The files the README's commands name without shipping them."""
    os.symlink(os.path.join(ROOT, "examples"), os.path.join(work, "examples"))
    shutil.copy(os.path.join(ROOT, "examples/rdfxml/thermostat.rdf"), os.path.join(work, "site.rdf"))
    with open(os.path.join(work, "ontology.ttl"), "w") as out:
        out.write("@prefix ex: <http://example.org/> .\nex:Probe a <http://www.w3.org/ns/sosa/Sensor> .\n")
    shutil.copy(os.path.join(ROOT, "ontologies", sorted(f for f in os.listdir(os.path.join(ROOT, "ontologies"))
                                                        if f.endswith(".rdf") or f.endswith(".owl"))[0]),
                os.path.join(work, "ontology.owl"))
    os.makedirs(os.path.join(work, "backups"))
    os.makedirs(os.path.join(work, "srv-rdf"))
    run = lambda *args: subprocess.run(args, cwd=work, capture_output=True, check=True)
    run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=gateways-ca",
        "-keyout", "gateways-ca.key", "-out", "gateways-ca.pem")
    run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
        "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", "server.key", "-out", "server.pem")
    scripts = os.path.join(work, "scripts")
    os.makedirs(scripts)
    with open(os.path.join(scripts, "registryd"), "w") as out:
        out.write(f'#!/bin/sh\nexec "{BINARY}" "$@"\n')
    os.chmod(os.path.join(scripts, "registryd"), 0o755)


class Server:
    """`scripts/registryd serve ...` in the background until stopped."""

    def __init__(self, line, work, port, env):
        self.process = subprocess.Popen(["bash", "-c", "exec " + line + f" --port {port}"], cwd=work, env=env,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.output = ""
        deadline = time.time() + 120
        while time.time() < deadline:
            text = self.process.stdout.readline()
            if not text:
                break
            self.output += text
            if "listening on" in text:
                return
        self.stop()
        raise RuntimeError(f"`{line}` did not start: {self.output[-800:]}")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process.stdout.close()
        return self.process.returncode


work = tempfile.mkdtemp(prefix="registryd-readme-")
server = None
try:
    placeholders(work)
    port = free_port()
    env = dict(os.environ)
    for line in commands(os.path.join(ROOT, "README.md")):
        skipped = next((why for start, why in NOT_RUN.items() if line.startswith(start)), None)
        if skipped:
            checks.skip(f"`{line}`", skipped)
            continue
        shown = line
        line = (line.replace("8470", str(port)).replace("/var/backups/", "backups/")
                .replace("/srv/rdf", "srv-rdf"))
        if line.startswith("TOKEN="):
            env["TOKEN"] = open(os.path.join(work, "registry-data/admin.token")).read().strip()
            check(f"`{shown}`", bool(env["TOKEN"]))
            continue
        if line.startswith("scripts/registryd serve"):
            if server:
                server.stop()
                server = None
            try:
                started = Server(line, work, port, env)
            except RuntimeError as error:
                check(f"`{shown}`", False, str(error))
                continue
            if line == "scripts/registryd serve":
                server = started  # the daemon the next commands talk to
                check(f"`{shown}`", True)
            else:
                scheme = "https" if "--tls-cert" in line else "http"
                health = subprocess.run(["curl", "-sS", "-k", "--noproxy", "*", "--max-time", "10", "--fail-with-body",
                                         f"{scheme}://127.0.0.1:{port}/health"], capture_output=True, text=True)
                code = started.stop()
                check(f"`{shown}`: /health answers, and SIGTERM stops it cleanly", health.returncode == 0 and code == 0,
                      (health.returncode, health.stdout[-300:], health.stderr[-300:], code, started.output[-500:]))
            continue
        if OFFLINE.match(line):
            if server:
                server.stop()
                server = None
        elif server is None:
            server = Server("scripts/registryd serve", work, port, env)
        streaming = line.startswith("curl") and " -N " in line
        if line.startswith("curl"):
            line = "curl --noproxy '*' -sS --fail-with-body" + (" --max-time 3" if streaming else "") + line[4:]
        result = subprocess.run(["bash", "-c", line], cwd=work, env=env, capture_output=True, text=True, timeout=300)
        ok = result.returncode == 0 or (streaming and result.returncode == 28 and "event" in result.stdout)
        check(f"`{shown}`", ok, (result.returncode, result.stdout[-400:], result.stderr[-400:]))
except Exception as error:  # a crash in the script is a failure, not a silent pass
    import traceback
    traceback.print_exc()
    check("script ran to the end", False, repr(error))
finally:
    if server:
        server.stop()
    shutil.rmtree(work, ignore_errors=True)

checks.finish()
