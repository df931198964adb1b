"""End-to-end: one tenant cannot change what another tenant's decisions, discovery or hosts see.

Two tenants share a real `registryd serve`: the clinic (`register:clinic.example/`) and evil
(`register:evil.example/`). Evil tries to make the clinic's object public (a device with the
object's IRI, a blank node with its name, a schema triple), to break the admin's policy set (a
cycle in an ordered domain kept in the ontology), to poison discovery (an endpoint on the clinic's
method, a health status on its instance) and to take over the clinic's host; every attempt must be
refused (403 `registration.*` naming what it touched) and change no decision. Also: a
single-valued resource attribute with several values fails closed, a broken policy set keeps the
last good generation in force (and `/health` says so), and credentials whose `sub` only looks like
the subject (Kelvin sign, NFD) or whose JSON has duplicate members never permit.
Prints `trust: N passed, N failed`.

    python3 -m pip install PyJWT cryptography
    python3 Tests/e2e/trust.py .build/debug/registryd
"""
import json
import re
import shutil
import sys
import time
import urllib.parse
import warnings

import harness
import jwt
from cryptography.hazmat.primitives.asymmetric import ed25519

warnings.filterwarnings("ignore", message=".*EdDSA is deprecated.*")

BINARY = sys.argv[1]
C = "http://example.org/clinic#"
MS = "https://w3id.org/registryd/ms#"
ONTOLOGY_GRAPH = "http://example.org/clinic-ontology"
PREFIXES = f"@prefix ms: <{MS}> .\n@prefix c: <{C}> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
ONTOLOGY = PREFIXES + """
c:PublicResource a rdfs:Class .
c:Sensitivity a rdfs:Class .
c:Low a c:Sensitivity . c:Medium a c:Sensitivity . c:High a c:Sensitivity .
c:Low c:lessSensitiveThan c:Medium . c:Medium c:lessSensitiveThan c:High .
"""
AUTHORITY = "hospital.example"
POLICY = f"""\
# trust: the clinic's rules; nothing another tenant registers may change them
prefix c: <{C}>;
domain Sensitivity = ontology c:Sensitivity ordered by c:lessSensitiveThan;
domain Rank = Nurse < Doctor;
attribute resource.sensitivity : Sensitivity = <{C}sensitivity>;
attribute subject.rank : Rank from authority "{AUTHORITY}";

pub: permit call on "clinic.example/**" when resource is c:PublicResource;
notes: permit call on "clinic.example/Notes/**" when resource.sensitivity <= Low;
ward: permit call on "clinic.example/Ward/**" when subject.rank >= Doctor;
"""
RECORDS = {"name": "clinic.example/Records", "version": "1.0.0", "instance": {"id": "records-1"},
           "objects": [{"name": "clinic.example/Records/db", "methods": [{"name": "read", "endpoints": [
               {"protocol": "rest", "url": "http://10.0.0.5:8080/records/db/read"}]}]}]}
CYCLE = "c:High c:lessSensitiveThan c:Low ."
KELVIN = "\u212a"

checks = harness.Checks("trust")
check = checks.check
daemon = None
data = None


# --- helpers: requests, tokens, registrations, decisions ---

def call(method, path, body=None, token=None, headers=None, content_type=None):
    return harness.call(daemon.base, method, path, body, token, headers, content_type)


def restart():
    """Stops the daemon and starts it again on the same data directory."""
    global daemon
    daemon.stop(keep=True)
    daemon = harness.Daemon(BINARY, data=data)


def new_token(scopes):
    status, _, body = call("POST", "/v1/tokens", {"scopes": scopes, "description": "trust"}, daemon.admin)
    check(f"setup: token {scopes} created", status == 201 and isinstance(body, dict) and "token" in body, (status, body))
    return body.get("token") if isinstance(body, dict) else None


def error_code(body):
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        return body["error"].get("code")
    return None


def error_message(body):
    return str(body["error"].get("message", "")) if error_code(body) else ""


def refused(label, result, names):
    """403 with a `registration.*` code whose message names one of `names` (the IRI or triple touched)."""
    status, _, body = result
    code = error_code(body) or ""
    check(f"{label}: 403", status == 403, (status, body))
    check(f"{label}: error code registration.*", code.startswith("registration."), (status, body))
    check(f"{label}: the message names what it touched", any(name in error_message(body) for name in names),
          (names, error_message(body)))


def register_json(manifest, token):
    return call("POST", "/v1/services", manifest, token)


def register_turtle(turtle, token, rid, method="POST"):
    path = f"/v1/services/{rid}" if method == "PUT" else f"/v1/services?id={rid}"
    return call(method, path, PREFIXES + turtle, token, content_type="text/turtle")


def own_service(site, name, rid, extra=""):
    """Turtle for a tenant's own minimal microservice (IRIs under its own site), plus `extra`."""
    node = f"<https://{site}/{rid}#service>"
    return (f'{node} a ms:Microservice ; ms:name "{site}/{name}" ; ms:version "1.0" ;\n'
            f'  ms:hasInstance <https://{site}/{rid}#instance> .\n'
            f'<https://{site}/{rid}#instance> a ms:ServiceInstance ; ms:registrationId "{rid}" .\n{extra}\n')


def remove(rid):
    """Admin removes a registration if it exists (undoes an attack that succeeded)."""
    call("DELETE", f"/v1/services/{rid}", token=daemon.admin)


def sparql(query, token):
    form = urllib.parse.urlencode({"query": query})
    status, _, body = call("POST", "/sparql", form, token, {"Accept": "application/sparql-results+json"},
                           "application/x-www-form-urlencoded")
    if status != 200 or not isinstance(body, dict):
        return ("error", status, body)
    if "boolean" in body:
        return body["boolean"]
    return [{k: v["value"] for k, v in row.items()} for row in body["results"]["bindings"]]


def decide(api, subject="alice", credentials=()):
    status, _, body = call("POST", "/v1/decisions", {"subject": {"id": subject, "credentials": list(credentials)},
                                                     "api": api, "action": "call", "explain": True}, decide_token)
    return status, body


def effect(api, subject="alice", credentials=()):
    status, body = decide(api, subject, credentials)
    return body.get("decision") if status == 200 and isinstance(body, dict) else (status, body)


def credential(sub, rank="Doctor"):
    now = int(time.time())
    return jwt.encode({"iss": AUTHORITY, "sub": sub, "nbf": now - 60, "exp": now + 3600, "attributes": {"rank": rank}},
                      authority_key, algorithm="EdDSA")


def raw_jws(header_text, payload_text):
    """A compact JWS over exactly these header and payload texts (duplicate members kept)."""
    signing_input = f"{harness.b64url(header_text.encode())}.{harness.b64url(payload_text.encode())}"
    return signing_input + "." + harness.b64url(authority_key.sign(signing_input.encode()))


def first(rows, key):
    return rows[0][key] if isinstance(rows, list) and rows else None


try:
    daemon = harness.Daemon(BINARY, prefix="registryd-trust-")
    data = daemon.data
    admin = daemon.admin

    # ================= setup: ontology, tokens, authority, the clinic's service, policy =================
    status, _, body = call("PUT", "/rdf-graphs?graph=" + urllib.parse.quote(ONTOLOGY_GRAPH, safe=""), ONTOLOGY, admin,
                           content_type="text/turtle")
    check("setup: admin ontology graph stored", status in (200, 201, 204), (status, body))
    clinic = new_token(["register:clinic.example/", "query"])
    evil = new_token(["register:evil.example/", "query"])
    decide_token = new_token(["decide"])
    authority_key = ed25519.Ed25519PrivateKey.generate()
    jwk = jwt.algorithms.OKPAlgorithm.to_jwk(authority_key.public_key(), as_dict=True)
    status, _, body = call("PUT", f"/v1/authorities/{AUTHORITY}", {"keys": [jwk]}, admin)
    check("setup: authority registered", status in (200, 201, 204), (status, body))
    status, _, body = register_json(RECORDS, clinic)
    check("setup: clinic registers clinic.example/Records", status == 201, (status, body))
    status, _, body = call("PUT", "/v1/policies/clinic", POLICY, admin, content_type="text/plain")
    check("setup: clinic policy stored", status in (200, 201, 204), (status, body))

    ms_name = f"<{MS}name>"
    obj = first(sparql(f'SELECT ?o WHERE {{ ?o {ms_name} "clinic.example/Records/db" }}', clinic), "o")
    method = first(sparql(f'SELECT ?m WHERE {{ ?o {ms_name} "clinic.example/Records/db" ; <{MS}hasMethod> ?m . '
                          f'?m {ms_name} "read" }}', clinic), "m")
    instance = first(sparql(f'SELECT ?i WHERE {{ ?i <{MS}registrationId> "records-1" }}', clinic), "i")
    check("setup: the clinic's object, method and instance IRIs found by SPARQL", obj and method and instance,
          (obj, method, instance))
    obj = obj or "urn:registryd:registration:records-1#object-0"
    method = method or "urn:registryd:registration:records-1#object-0-method-0"
    instance = instance or "urn:registryd:registration:records-1#instance"
    RECORDS_API = "clinic.example/Records/db"
    check("control: call on clinic.example/Records/db is denied", effect(RECORDS_API) == "deny", effect(RECORDS_API))

    # ================= 1. cross-tenant permit, three ways =================
    evil_manifest = {"name": "evil.example/X", "version": "1.0.0", "instance": {"id": "evil-x"},
                     "devices": [{"id": obj, "types": [C + "PublicResource"]}]}
    refused("1a: evil's manifest with a device of the clinic object's IRI typed PublicResource",
            register_json(evil_manifest, evil), [obj])
    check("1a: afterwards Records/db is still denied", effect(RECORDS_API) == "deny", effect(RECORDS_API))

    blank = '[] ms:name "clinic.example/Records/db" ; a c:PublicResource .'
    refused("1b: evil's Turtle with a blank node named clinic.example/Records/db, typed PublicResource",
            register_turtle(own_service("evil.example", "Y", "evil-y", blank), evil, "evil-y"),
            ["clinic.example/Records/db", C + "PublicResource", "c:PublicResource"])
    check("1b: afterwards Records/db is still denied", effect(RECORDS_API) == "deny", effect(RECORDS_API))

    schema = "ms:VirtualObject rdfs:subClassOf c:PublicResource ."
    refused("1c: evil's Turtle with ms:VirtualObject rdfs:subClassOf c:PublicResource",
            register_turtle(own_service("evil.example", "Z", "evil-z", schema), evil, "evil-z"),
            [MS + "VirtualObject", "ms:VirtualObject", "subClassOf"])
    check("1c: afterwards Records/db is still denied", effect(RECORDS_API) == "deny", effect(RECORDS_API))
    answer = sparql(f"ASK {{ <{obj}> a <{C}PublicResource> }}", clinic)
    check("1: SPARQL (clinic, reasoning): the clinic object is not a c:PublicResource", answer is False, answer)
    for rid in ["evil-x", "evil-y", "evil-z"]:
        remove(rid)  # whatever got in today must not spoil the sections below

    # ================= 2. a single-valued resource attribute with several values fails closed =================
    NOTES_API = "clinic.example/Notes/n1"

    def notes(values):
        return own_service("clinic.example", "Notes", "notes-1",
                           '<https://clinic.example/notes-1#service> ms:hasVirtualObject <https://clinic.example/notes-1#n1> .\n'
                           '<https://clinic.example/notes-1#n1> a ms:VirtualObject ; ms:name "clinic.example/Notes/n1" ; '
                           f'c:sensitivity {values} .')

    status, _, body = register_turtle(notes("c:Low, c:High"), clinic, "notes-1")
    check("2: clinic registers Notes/n1 with sensitivity Low and High", status == 201, (status, body))
    check("2: two values of single-valued resource.sensitivity: deny", effect(NOTES_API) == "deny", effect(NOTES_API))
    status, _, body = register_turtle(notes("c:Low"), clinic, "notes-1", method="PUT")
    check("2: clinic re-registers Notes/n1 (PUT) with sensitivity Low only", status in (200, 201), (status, body))
    check("control 2: one value Low: permit", effect(NOTES_API) == "permit", effect(NOTES_API))

    # ================= 3. tenants cannot break the policy set =================
    result = register_turtle(own_service("evil.example", "Cycle", "evil-cycle", CYCLE), evil, "evil-cycle")
    refused("3: evil's Turtle adding c:High c:lessSensitiveThan c:Low (a cycle)", result,
            [C + "High", C + "Low", "lessSensitiveThan"])
    status, _, body = call("PUT", "/v1/policies/other", 'other: forbid call on "other.example/Blocked/*";', admin,
                           content_type="text/plain")
    check("3: afterwards the admin's unrelated policy PUT answers 2xx", 200 <= status < 300, (status, body))
    check("3: Notes/n1 still permitted (before restart)", effect(NOTES_API) == "permit", effect(NOTES_API))
    restart()
    check("3: after a restart Notes/n1 is still permitted (rules in force)", effect(NOTES_API) == "permit",
          effect(NOTES_API))
    remove("evil-cycle")
    call("PUT", "/v1/policies/clinic", POLICY, daemon.admin, content_type="text/plain")  # repairs today's damage

    # ================= 4. a broken policy set keeps the last good generation =================
    check("control 4: Notes/n1 permitted before the admin's cycle", effect(NOTES_API) == "permit", effect(NOTES_API))
    graph_update = f"PREFIX c: <{C}> %s DATA {{ GRAPH <{ONTOLOGY_GRAPH}> {{ {CYCLE} }} }}"
    status, _, body = call("POST", "/update", graph_update % "INSERT", daemon.admin, content_type="application/sparql-update")
    check("4: admin inserts the cycle into its own graph (2xx)", 200 <= status < 300, (status, body))
    restart()
    status, _, body = call("GET", "/health")
    reason = json.dumps({k: v for k, v in body.items() if k != "status"}).lower() if isinstance(body, dict) else ""
    check("4: /health answers 200", status == 200, (status, body))
    check('4: /health says "status": "degraded"', isinstance(body, dict) and body.get("status") == "degraded", body)
    check("4: /health gives a reason about the policies", "polic" in reason, body)
    status, _, metrics = call("GET", "/metrics")
    check("4: /metrics has registryd_policies_degraded 1",
          re.search(r"^registryd_policies_degraded 1(\.0)?$", str(metrics), re.M) is not None,
          [line for line in str(metrics).splitlines() if "degraded" in line])
    check("4: the last good generation stays in force: Notes/n1 permitted", effect(NOTES_API) == "permit",
          effect(NOTES_API))
    status, _, body = call("POST", "/update", graph_update % "DELETE", daemon.admin, content_type="application/sparql-update")
    check("4: admin removes the cycle (2xx)", 200 <= status < 300, (status, body))
    status, _, body = call("PUT", "/v1/policies/clinic", POLICY, daemon.admin, content_type="text/plain")
    check("4: admin PUTs the policy again (2xx)", 200 <= status < 300, (status, body))
    restart()
    status, _, body = call("GET", "/health")
    check('4: after repair and restart /health says "status": "ok"', status == 200 and isinstance(body, dict)
          and body.get("status") == "ok", (status, body))
    status, _, metrics = call("GET", "/metrics")
    check("4: after repair /metrics has registryd_policies_degraded 0",
          re.search(r"^registryd_policies_degraded 0(\.0)?$", str(metrics), re.M) is not None,
          [line for line in str(metrics).splitlines() if "degraded" in line])
    check("control 4: after repair Notes/n1 permitted", effect(NOTES_API) == "permit", effect(NOTES_API))

    # ================= 5. discovery poisoning =================
    endpoint = (f"<{method}> ms:hasEndpoint <urn:x:evil-endpoint> .\n"
                '<urn:x:evil-endpoint> a ms:RESTEndpoint ; ms:protocol "rest" ; ms:address "http://203.0.113.66/steal" ;\n'
                '  ms:servedBy <https://evil.example/evil-ep#instance> .')
    refused("5: evil's Turtle adding an endpoint to the clinic's method",
            register_turtle(own_service("evil.example", "Ep", "evil-ep", endpoint), evil, "evil-ep"), [method])
    broken = f"<{instance}> ms:healthStatus ms:Broken ."
    refused("5: evil's Turtle marking the clinic's instance ms:Broken",
            register_turtle(own_service("evil.example", "Hs", "evil-hs", broken), evil, "evil-hs"), [instance])
    # Linking its own node to the clinic's endpoint would make the registry state that the
    # clinic's endpoint is served by evil's instance (`ms:servedBy`): refused too.
    clinic_endpoint = first(sparql(f"SELECT ?e WHERE {{ <{method}> <{MS}hasEndpoint> ?e }}", clinic), "e")
    taken = f"<https://evil.example/evil-se#m> ms:hasEndpoint <{clinic_endpoint}> ."
    refused("5: evil's Turtle claiming the clinic's endpoint for its own method",
            register_turtle(own_service("evil.example", "Se", "evil-se", taken), evil, "evil-se"), [str(clinic_endpoint)])
    status, _, body = call("GET", "/v1/resolve?name=" + urllib.parse.quote("clinic.example/Records/db/read", safe="/"),
                           token=clinic)
    addresses = [e.get("address") for e in body.get("endpoints", [])] if isinstance(body, dict) else None
    check("5: resolve lists only the clinic's endpoint", status == 200 and addresses == ["http://10.0.0.5:8080/records/db/read"],
          (status, body))
    rows = sparql(f"SELECT ?h WHERE {{ <{instance}> <{MS}healthStatus> ?h }}", clinic)
    check("5: the clinic's instance has exactly one ms:healthStatus", isinstance(rows, list) and len(rows) == 1, rows)
    remove("evil-ep")
    remove("evil-hs")
    remove("evil-se")

    # ================= 6. hosts have owners =================
    status, _, body = call("POST", "/v1/hosts", {"id": "clinic-gw-1", "tier": "edge", "ttl": "1h"}, clinic)
    check("setup 6: clinic registers host clinic-gw-1", status == 201, (status, body))
    status, _, body = call("POST", "/v1/hosts", {"id": "clinic-gw-1", "tier": "cloud", "ttl": "1h"}, evil)
    check("6: evil re-registers clinic-gw-1: 403", status == 403, (status, body))
    status, _, body = call("PUT", "/v1/hosts/clinic-gw-1/heartbeat", token=evil)
    check("6: evil heartbeats clinic-gw-1: 403", status == 403, (status, body))
    status, _, body = call("PUT", "/v1/hosts/clinic-gw-1/heartbeat", token=clinic)
    check("control 6: clinic heartbeats its host (2xx)", 200 <= status < 300, (status, body))
    status, _, body = call("DELETE", "/v1/hosts/clinic-gw-1", token=evil)
    check("6: evil deletes clinic-gw-1: 403", status == 403, (status, body))
    if status != 403:  # today's binary let it go: put it back for the admin's delete
        call("POST", "/v1/hosts", {"id": "clinic-gw-1", "tier": "edge", "ttl": "1h"}, clinic)
    status, _, body = call("DELETE", "/v1/hosts/clinic-gw-1", token=daemon.admin)
    check("control 6: admin deletes clinic-gw-1 (2xx)", 200 <= status < 300, (status, body))

    # ================= 7. credentials: look-alike subjects, duplicate JSON members =================
    WARD = "clinic.example/Ward/bed1"
    check("control 7: well-formed credential sub alice, rank Doctor: permit",
          effect(WARD, "alice", [credential("alice")]) == "permit", effect(WARD, "alice", [credential("alice")]))
    check("control 7: credential sub Kim for subject Kim: permit", effect(WARD, "Kim", [credential("Kim")]) == "permit",
          effect(WARD, "Kim", [credential("Kim")]))
    got = effect(WARD, "Kim", [credential(KELVIN + "im")])
    check("7a: credential sub \\u212Aim (Kelvin sign) for subject Kim: deny", got == "deny", got)
    status, body = decide(WARD, KELVIN + "im", [credential(KELVIN + "im")])
    check("7a: decision for subject id \\u212Aim: 400 with an error code", status == 400 and error_code(body) is not None,
          (status, body))
    got = effect(WARD, "Zo\u00eb", [credential("Zoe\u0308")])
    check("7b: credential sub Zoe+U+0308 (NFD) for subject Zo\\u00eb: deny", got == "deny", got)
    now = int(time.time())
    header = '{"alg":"EdDSA","typ":"JWT"}'
    twice = raw_jws(header, f'{{"iss":"{AUTHORITY}","sub":"mallory","sub":"alice","exp":{now + 3600},"nbf":{now - 60},'
                            '"attributes":{"rank":"Doctor"}}')
    for subject in ["alice", "mallory"]:
        got = effect(WARD, subject, [twice])
        check(f"7c: credential with two sub members for subject {subject}: deny", got == "deny", got)
    payload = json.dumps({"iss": AUTHORITY, "sub": "alice", "exp": now + 3600, "nbf": now - 60, "attributes": {"rank": "Doctor"}})
    got = effect(WARD, "alice", [raw_jws('{"alg":"EdDSA","alg":"EdDSA","typ":"JWT"}', payload)])
    check("7d: credential whose protected header repeats alg: deny", got == "deny", got)
    got = effect(WARD, "alice", [raw_jws(header, payload)])
    check("control 7: the same credential with a plain header: permit", got == "permit", got)
except Exception as error:  # a crash in the script is a failure, not a silent pass
    import traceback
    traceback.print_exc()
    check("script ran to the end", False, repr(error))
finally:
    if daemon is not None:
        daemon.stop(keep=True)
    if data:
        shutil.rmtree(data, ignore_errors=True)

checks.finish()
