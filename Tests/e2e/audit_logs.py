"""Decision and audit logs: `serve --decision-log` writes every decision as a JSON line (subject,
API, action, result, deciding rules, binding id, policy generation, attributes, latency) with
masked fields left out and listed in `erased`; `--audit-log` writes every change made through the
API (token id, address, method, path, status, index); change events carry the token id; both
rotate by size.

Usage: python3 Tests/e2e/audit_logs.py path/to/registryd"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import jwt
from cryptography.hazmat.primitives.asymmetric import ed25519

from harness import Checks, Daemon, call

checks = Checks("audit-logs")
check = checks.check
AUTHORITY = "hospital.example"
POLICY = """\
domain Rank = Nurse < AttendingDoctor;
attribute subject.rank : Rank from authority "hospital.example";
attribute subject.ssn : String from authority "hospital.example";

monitor: permit call on "clinic.example/Monitor/**" when subject.rank >= AttendingDoctor;
"""


def lines(path):
    try:
        return [json.loads(line) for line in open(path) if line.strip()]
    except FileNotFoundError:
        return []


def credential(key, rank):
    now = int(time.time())
    return jwt.encode({"iss": AUTHORITY, "sub": "alice", "nbf": now - 60, "exp": now + 3600,
                       "attributes": {"rank": rank, "ssn": "123-45-6789"}}, key, algorithm="EdDSA")


def main(binary):
    work = tempfile.mkdtemp(prefix="registryd-logs-")
    decisions, audit = f"{work}/decisions.jsonl", f"{work}/audit.jsonl"
    daemon = Daemon(binary, args=["--decision-log", decisions, "--decision-log-mask", "attributes.subject.ssn",
                                  "--audit-log", audit, "--log-rotate-mib", "0.02", "--log-keep", "2"])
    try:
        admin = daemon.admin
        key = ed25519.Ed25519PrivateKey.generate()
        jwk = jwt.algorithms.OKPAlgorithm.to_jwk(key.public_key(), as_dict=True)
        call(daemon.base, "PUT", f"/v1/authorities/{AUTHORITY}", {"keys": [jwk]}, token=admin)
        status, _, policy = call(daemon.base, "PUT", "/v1/policies/monitor", POLICY, token=admin, content_type="text/plain")
        check("policy stored", status == 200, (status, policy))
        generation = policy.get("generation") if isinstance(policy, dict) else None

        _, _, created = call(daemon.base, "POST", "/v1/tokens", {"scopes": ["register:clinic.example/"], "description": "monitor"},
                             token=admin)
        registrar, registrar_id = created.get("token"), created.get("id")
        manifest = {"name": "clinic.example/Monitor", "version": "1.0.0", "instance": {"id": "monitor-1"},
                    "objects": [{"name": "clinic.example/Monitor/main",
                                 "methods": [{"name": "hr", "endpoints": [{"protocol": "rest", "url": "http://10.0.0.1/hr"}]}]}]}
        status, headers, registered = call(daemon.base, "POST", "/v1/services", manifest, token=registrar)
        check("a registration by a narrow token", status == 201, (status, registered))
        refused = dict(manifest, name="other.example/Monitor")
        status, _, _ = call(daemon.base, "POST", "/v1/services", refused, token=registrar)
        check("a registration outside its scope is refused", status == 403, status)

        doctor, nurse = credential(key, "AttendingDoctor"), credential(key, "Nurse")
        request = {"subject": {"id": "alice", "credentials": [doctor]}, "api": "clinic.example/Monitor/main/hr", "action": "call"}
        status, _, permit = call(daemon.base, "POST", "/v1/decisions", request, token=admin)
        check("a permit", status == 200 and permit.get("decision") == "permit", (status, permit))
        status, _, deny = call(daemon.base, "POST", "/v1/decisions", dict(request, subject={"id": "alice", "credentials": [nurse]}),
                               token=admin)
        check("a deny", status == 200 and deny.get("decision") == "deny", (status, deny))
        time.sleep(0.2)

        logged = [line for line in lines(decisions) if line.get("type") == "decision"]
        check("both decisions are in the decision log, in order", [line.get("decision") for line in logged] == ["permit", "deny"], logged)
        if len(logged) == 2:
            first, second = logged
            jti = jwt.decode(permit.get("binding", ""), options={"verify_signature": False}).get("jti")
            check("a logged permit names the binding, the deciding rule and the policy generation",
                  first.get("binding") == jti and first.get("rules") == ["monitor"] and first.get("generation") == generation,
                  (first, jti, generation))
            check("a logged decision names subject, API and action", (first.get("subject"), first.get("api"), first.get("action"))
                  == ("alice", "clinic.example/Monitor/main/hr", "call"), first)
            check("the attributes the policies read are logged, the masked one is not and is listed as erased",
                  first.get("attributes", {}).get("subject.rank") == "AttendingDoctor" and "subject.ssn" not in first.get("attributes", {})
                  and first.get("erased") == ["attributes.subject.ssn"] and "123-45-6789" not in open(decisions).read(), first)
            check("a logged deny has no binding, and its latency", second.get("binding") is None
                  and isinstance(second.get("latency_ms"), (int, float)) and second.get("latency_ms") >= 0, second)

        changes = lines(audit)
        by_path = [(line.get("method"), line.get("path"), line.get("status"), line.get("token")) for line in changes]
        check("the audit log has every change with its token, the refused one too",
              ("POST", "/v1/services", 201, registrar_id) in by_path and ("POST", "/v1/services", 403, registrar_id) in by_path
              and ("PUT", "/v1/policies/monitor", 200, "admin") in [(m, p, s, "admin" if t else None) for m, p, s, t in by_path], by_path)
        check("decisions are not in the audit log", not any(path == "/v1/decisions" for _, path, _, _ in by_path), by_path)
        registration = next((line for line in changes if line.get("path") == "/v1/services" and line.get("status") == 201), {})
        check("an audit line has the client's address and the change index",
              registration.get("address") == "127.0.0.1" and registration.get("index") == int(headers.get("X-Registryd-Index", -1)),
              (registration, headers.get("X-Registryd-Index")))

        _, _, events = call(daemon.base, "GET", "/v1/services", token=admin)
        status, _, _ = call(daemon.base, "PUT", "/v1/services/monitor-1/health", {"status": "degraded"}, token=registrar)
        stream = subprocess.run(["curl", "-s", "-N", "--max-time", "1", "-H", f"Authorization: Bearer {admin}",
                                 f"{daemon.base}/v1/events?since=0&type=service.*"], capture_output=True, text=True).stdout
        data = [json.loads(line[6:]) for line in stream.splitlines() if line.startswith("data: ")]
        kinds = {(event.get("type"), event.get("token")) for event in data}
        check("change events carry the id of the token that made them",
              ("service.registered", registrar_id) in kinds and ("service.health", registrar_id) in kinds, kinds)

        for number in range(150):
            call(daemon.base, "POST", "/v1/decisions", request, token=admin)
        time.sleep(0.2)
        rotated = sorted(name for name in os.listdir(work) if name.startswith("decisions.jsonl"))
        sizes = [os.path.getsize(f"{work}/{name}") for name in rotated]
        check("the decision log rotates by size and keeps --log-keep files",
              rotated == ["decisions.jsonl", "decisions.jsonl.1", "decisions.jsonl.2"] and all(size <= 0.02 * 1048576 for size in sizes),
              (rotated, sizes))
        check("every rotated line is whole JSON", all(lines(f"{work}/{name}") for name in rotated))
    finally:
        daemon.stop()

    result = subprocess.run([binary, "serve", "--port", "0", "--data", work + "/x", "--decision-log", decisions,
                             "--decision-log-mask", "credentials"], capture_output=True, text=True)
    check("an unknown mask is refused at start, in one line", result.returncode != 0 and "--decision-log-mask" in result.stderr,
          (result.returncode, result.stderr))
    shutil.rmtree(work, ignore_errors=True)
    checks.finish()


main(sys.argv[1])
