"""End-to-end: bindings issued by a real `registryd serve` verified with two independent JOSE
libraries (PyJWT and joserfc) against `/.well-known/jwks.json`. Credentials are signed here with
PyJWT (EdDSA and ES256) by an authority key registered at `/v1/authorities`. Prints
`bindings-jose: N passed, N failed`.

    python3 -m pip install PyJWT cryptography joserfc
    python3 Tests/e2e/bindings_jose.py .build/debug/registryd
"""
import base64
import json
import sys
import time
import warnings
from datetime import datetime, timedelta, timezone

import harness
import jwt
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from joserfc import jwt as jose_jwt
from joserfc.jwk import KeySet

warnings.filterwarnings("ignore", message=".*EdDSA is deprecated.*")  # joserfc prefers RFC 9864 names

AUTHORITY = "hospital.example"
POLICY = """\
# bindings-jose: who may call the clinic's thermometers
domain Rank = Nurse < AttendingDoctor < SeniorDoctor;
attribute subject.rank : Rank from authority "hospital.example";
attribute subject.shift : Interval from authority "hospital.example";

thermometers: permit call on "clinic.example/Thermometer/*" when subject.rank >= AttendingDoctor;
limit call on "clinic.example/Thermometer/*" to 5 msg/s, burst 10;
on-shift: permit call on "clinic.example/Ward/*" when subject.rank >= AttendingDoctor and now within subject.shift;
"""
# A recurring window (UTC) that began an hour ago and ends in 2 to 3 minutes, so that a binding it
# permits must expire before the default binding lifetime would; left out across midnight.
WINDOW_START = datetime.now(timezone.utc) - timedelta(hours=1)
WINDOW_END = (datetime.now(timezone.utc) + timedelta(minutes=3)).replace(second=0, microsecond=0)
if WINDOW_START.date() == WINDOW_END.date():
    POLICY += (f'window: permit call on "clinic.example/Window/*" when subject.rank >= AttendingDoctor\n'
               f'  and now in hours {WINDOW_START:%H:%M}-{WINDOW_END:%H:%M};\n')
else:
    WINDOW_END = None
MANIFEST = {
    "name": "clinic.example/Thermometer", "version": "1.0.0",
    "instance": {"id": "thermometer-ward3", "host": "ward3-gw"},
    "objects": [{"name": "clinic.example/Thermometer/ward3",
                 "methods": [{"name": "read", "endpoints": [
                     {"protocol": "rest", "url": "http://10.0.0.7:8080/ward3/temperature"}]}]}],
}
API = "clinic.example/Thermometer/ward3"

checks = harness.Checks("bindings-jose")
check = checks.check
b64url = harness.b64url
daemon = harness.Daemon(sys.argv[1], prefix="registryd-jose-")
base, admin = daemon.base, daemon.admin


def unb64url(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


opener = harness.opener


def call(method, path, body=None, token=None, headers=None, content_type=None):
    """One request to the daemon; returns (status, headers, parsed JSON or text)."""
    return harness.call(base, method, path, body, token, headers, content_type)


def credential(key, attributes, sub="alice", iss=AUTHORITY, lifetime=3600, nbf=None, exp=None, alg="EdDSA", kid=None):
    now = int(time.time())
    claims = {"iss": iss, "sub": sub, "nbf": now - 60 if nbf is None else nbf,
              "exp": now + lifetime if exp is None else exp, "attributes": attributes}
    return jwt.encode(claims, key, algorithm=alg, headers={"kid": kid} if kid else None)


def decide(credentials, subject="alice", api=API, action="call", explain=True, token=None):
    body = {"subject": {"id": subject, "credentials": credentials}, "api": api, "action": action, "context": {}}
    if explain:
        body["explain"] = True
    return call("POST", "/v1/decisions", body, token=token or decide_token)


def pyjwt_verify(token, jwks, **options):
    """Verifies with PyJWT against a JWKS document; returns the claims or raises."""
    keys = jwt.PyJWKSet.from_dict(jwks)
    kid = jwt.get_unverified_header(token).get("kid")
    return jwt.decode(token, key=keys[kid], algorithms=["EdDSA"],
                      options={"require": ["iss", "sub", "exp", "nbf", "jti"], **options.pop("options", {})}, **options)


def joserfc_verify(token, jwks, now=None):
    """Verifies with joserfc against a JWKS document and validates iss/sub/exp/nbf at `now`."""
    decoded = jose_jwt.decode(token, KeySet.import_key_set(jwks), algorithms=["EdDSA"])
    registry = jose_jwt.JWTClaimsRegistry(now=now, iss={"essential": True, "value": "registryd"},
                                          sub={"essential": True}, exp={"essential": True},
                                          nbf={"essential": True}, jti={"essential": True})
    registry.validate(decoded.claims)
    return decoded


def rejected(verify, *args, **kwargs):
    """True when `verify` raises (the token is refused)."""
    try:
        verify(*args, **kwargs)
        return False
    except Exception:  # any library error: bad signature, malformed, expired
        return True


def tampered_payload(token, change):
    header, payload, signature = token.split(".")
    claims = json.loads(unb64url(payload))
    change(claims)
    return ".".join([header, b64url(json.dumps(claims, separators=(",", ":")).encode()), signature])


def flip(text, index):
    return text[:index] + ("A" if text[index] != "A" else "B") + text[index + 1:]


try:

    # --- setup: authority keys, policy, a service, a decide token ---
    authority_key = ed25519.Ed25519PrivateKey.generate()
    authority_ec_key = ec.generate_private_key(ec.SECP256R1())
    okp_jwk = jwt.algorithms.OKPAlgorithm.to_jwk(authority_key.public_key(), as_dict=True)
    ec_jwk = dict(jwt.algorithms.ECAlgorithm.to_jwk(authority_ec_key.public_key(), as_dict=True), kid="hospital-ec-1")
    status, _, body = call("PUT", f"/v1/authorities/{AUTHORITY}", {"keys": [okp_jwk, ec_jwk]}, token=admin)
    check("authority registered (PUT /v1/authorities)", status in (200, 201, 204), (status, body))
    status, _, body = call("GET", f"/v1/authorities/{AUTHORITY}", token=admin)
    check("authority read back", status == 200 and isinstance(body, dict)
          and okp_jwk["x"] in json.dumps(body), (status, body))

    status, _, body = call("PUT", "/v1/policies/clinic", POLICY, token=admin, content_type="text/plain")
    check("policy stored (PUT /v1/policies/clinic)", status in (200, 201, 204), (status, body))
    status, _, body = call("GET", "/v1/policies", token=admin)
    policy_generation = body.get("generation") if isinstance(body, dict) else None
    check("GET /v1/policies lists clinic and a generation", status == 200 and "clinic" in json.dumps(body)
          and isinstance(policy_generation, int), (status, body))

    status, _, body = call("POST", "/v1/services", MANIFEST, token=admin)
    check("thermometer service registered", status in (200, 201), (status, body))

    status, _, body = call("POST", "/v1/tokens", {"scopes": ["decide"], "description": "bindings-jose"}, token=admin)
    decide_token = body.get("token") if isinstance(body, dict) else None
    check("decide token created", status == 201 and isinstance(decide_token, str), (status, body))
    status, _, body = call("POST", "/v1/tokens", {"scopes": ["query"]}, token=admin)
    query_token = body.get("token") if isinstance(body, dict) else None

    # --- scopes ---
    doctor = credential(authority_key, {"rank": "AttendingDoctor"})
    status, _, body = call("POST", "/v1/decisions", {"subject": {"id": "alice", "credentials": [doctor]},
                                                     "api": API, "action": "call"})
    check("POST /v1/decisions without a token is refused (401)", status == 401, (status, body))
    if query_token:
        status, _, body = decide([doctor], token=query_token)
        check("POST /v1/decisions with a query-only token is refused (403)", status == 403, (status, body))

    # --- jwks ---
    status, _, jwks = call("GET", "/.well-known/jwks.json")
    check("GET /.well-known/jwks.json needs no token", status == 200 and isinstance(jwks, dict), (status, jwks))
    if status != 200:
        status, _, jwks = call("GET", "/.well-known/jwks.json", token=admin)
    keys = jwks.get("keys", []) if isinstance(jwks, dict) else []
    check("JWKS has an Ed25519 key with a kid", len(keys) >= 1 and all(
        k.get("kty") == "OKP" and k.get("crv") == "Ed25519" and k.get("kid") and k.get("x") for k in keys), jwks)
    check("JWKS publishes no private key material", all("d" not in k for k in keys), jwks)

    # --- a permit with a binding ---
    before = int(time.time())
    status, _, decision = decide([doctor])
    check("AttendingDoctor: 200", status == 200, (status, decision))
    decision = decision if isinstance(decision, dict) else {}
    check("AttendingDoctor: permit", decision.get("decision") == "permit", decision)
    binding = decision.get("binding")
    check("permit carries a binding (compact JWS)", isinstance(binding, str) and binding.count(".") == 2, decision)
    check("decision names the generation", isinstance(decision.get("generation"), int)
          and (policy_generation is None or decision.get("generation") == policy_generation), decision)
    check("explain: true gives an explanation", decision.get("explanation") is not None, decision)
    check("decision lists the matching rule", "thermometers" in json.dumps(decision.get("rules")), decision.get("rules"))
    binding = binding if isinstance(binding, str) else "e30.e30.AA"

    header = {}
    try:
        header = jwt.get_unverified_header(binding)
    except Exception as error:
        check("binding header parses", False, error)
    check("binding header: alg EdDSA", header.get("alg") == "EdDSA", header)
    check("binding header: kid is in the JWKS", header.get("kid") in [k.get("kid") for k in keys], (header, jwks))

    claims = None
    try:
        claims = pyjwt_verify(binding, jwks)
        check("PyJWT verifies the binding against the JWKS", True)
    except Exception as error:
        check("PyJWT verifies the binding against the JWKS", False, repr(error))
    try:
        decoded = joserfc_verify(binding, jwks)
        check("joserfc verifies the binding against the JWKS", True)
        claims = claims or decoded.claims
    except Exception as error:
        check("joserfc verifies the binding against the JWKS", False, repr(error))
    claims = claims or json.loads(unb64url(binding.split(".")[1]) or b"{}")
    after = int(time.time())

    check("claim iss == registryd", claims.get("iss") == "registryd", claims)
    check("claim sub == alice", claims.get("sub") == "alice", claims)
    check("claim api", claims.get("api") == API, claims)
    check("claim act == call", claims.get("act") == "call", claims)
    endpoints = claims.get("endpoints")
    check("claim endpoints is a list of {protocol, address, ...}", isinstance(endpoints, list) and all(
        isinstance(e, dict) and "protocol" in e and "address" in e for e in endpoints), claims)
    check("claim endpoints holds the registered endpoint", isinstance(endpoints, list) and any(
        isinstance(e, dict) and e.get("address") == "http://10.0.0.7:8080/ward3/temperature"
        and e.get("protocol") == "rest" for e in endpoints), endpoints)
    constraints = claims.get("constraints")
    check("claim constraints is an object with the limit", isinstance(constraints, dict)
          and constraints.get("messagesPerSecond") == 5 and constraints.get("burst") == 10, constraints)
    nbf, exp, iat = claims.get("nbf"), claims.get("exp"), claims.get("iat")
    check("claims nbf/exp/iat are integers", all(isinstance(v, int) for v in (nbf, exp, iat)), claims)
    if all(isinstance(v, int) for v in (nbf, exp, iat)):
        check("nbf <= now < exp", nbf <= after + 1 and exp > after, (nbf, exp, after))
        check("exp > nbf", exp > nbf, claims)
        check("iat is now", before - 5 <= iat <= after + 5, (iat, before, after))
        check("exp no later than the credential's expiry", exp <= before + 3600 + 1, (exp, before))
    check("claim generation is an integer (== decision's)", isinstance(claims.get("generation"), int)
          and claims.get("generation") == decision.get("generation"), claims)
    jti = claims.get("jti")
    check("claim jti is a non-empty string", isinstance(jti, str) and jti, claims)

    # --- bindings listed ---
    if isinstance(jti, str) and jti:
        status, _, body = call("GET", "/v1/bindings", token=admin)
        check("GET /v1/bindings lists the jti", status == 200 and jti in json.dumps(body), (status, body))
        status, _, body = call("GET", f"/v1/bindings/{jti}", token=admin)
        check("GET /v1/bindings/{jti}", status == 200 and jti in json.dumps(body), (status, body))

    # --- tampering ---
    changed_api = tampered_payload(binding, lambda c: c.update(api="clinic.example/Thermometer/icu"))
    check("PyJWT rejects a binding with a changed api", rejected(pyjwt_verify, changed_api, jwks))
    check("joserfc rejects a binding with a changed api", rejected(joserfc_verify, changed_api, jwks))
    longer = tampered_payload(binding, lambda c: c.update(exp=c.get("exp", 0) + 86400))
    check("PyJWT rejects a binding with a later exp", rejected(pyjwt_verify, longer, jwks))
    check("joserfc rejects a binding with a later exp", rejected(joserfc_verify, longer, jwks))
    head, payload, signature = binding.split(".")
    flipped_payload = ".".join([head, flip(payload, len(payload) // 2), signature])
    check("PyJWT rejects a flipped payload character", rejected(pyjwt_verify, flipped_payload, jwks))
    check("joserfc rejects a flipped payload character", rejected(joserfc_verify, flipped_payload, jwks))
    flipped_signature = ".".join([head, payload, flip(signature, 10)])
    check("PyJWT rejects a flipped signature character", rejected(pyjwt_verify, flipped_signature, jwks))
    check("joserfc rejects a flipped signature character", rejected(joserfc_verify, flipped_signature, jwks))
    unsigned = ".".join([b64url(json.dumps({"alg": "none", "kid": header.get("kid")}).encode()), payload, ""])
    check("PyJWT rejects alg none", rejected(pyjwt_verify, unsigned, jwks))
    check("joserfc rejects alg none", rejected(joserfc_verify, unsigned, jwks))

    # ... and the daemon itself refuses them at the gateway adapter
    gateway = {"X-Registryd-Token": decide_token or "", "X-Original-URI": "/" + API, "X-Original-Method": "GET"}
    status, answer, body = call("GET", "/v1/gateway/authorize", token=binding, headers=gateway)
    check("gateway adapter accepts the binding (200)", status == 200, (status, body))
    for name, forged in [("changed api", changed_api), ("flipped signature", flipped_signature), ("alg none", unsigned)]:
        status, _, body = call("GET", "/v1/gateway/authorize", token=forged, headers=gateway)
        check(f"gateway adapter refuses a binding with {name} (401)", status == 401, (status, body))
    other_api = dict(gateway, **{"X-Original-URI": "/clinic.example/Thermometer/icu"})
    status, _, body = call("GET", "/v1/gateway/authorize", token=binding, headers=other_api)
    check("gateway adapter refuses the binding for another API", status in (401, 403), (status, body))

    # --- expiry, judged by the libraries with a clock after exp ---
    if isinstance(exp, int) and isinstance(nbf, int):
        now = int(time.time())
        try:
            pyjwt_verify(binding, jwks, leeway=-(exp - now + 1), options={"verify_nbf": False, "verify_iat": False})
            check("PyJWT reports the binding expired after exp", False, "accepted")
        except jwt.ExpiredSignatureError:
            check("PyJWT reports the binding expired after exp", True)
        except Exception as error:
            check("PyJWT reports the binding expired after exp", False, repr(error))
        check("joserfc accepts the binding at nbf", not rejected(joserfc_verify, binding, jwks, now=nbf))
        check("joserfc rejects the binding at exp + 1", rejected(joserfc_verify, binding, jwks, now=exp + 1))
        check("joserfc rejects the binding before nbf", rejected(joserfc_verify, binding, jwks, now=nbf - 1))

    # --- the binding lives no longer than the credential ---
    short = credential(authority_key, {"rank": "SeniorDoctor"}, lifetime=90)
    status, _, body = decide([short])
    short_binding = body.get("binding") if isinstance(body, dict) else None
    if check("SeniorDoctor with a 90 s credential: permit", isinstance(short_binding, str), (status, body)):
        short_claims = pyjwt_verify(short_binding, jwks)
        check("binding exp <= credential exp", short_claims["exp"] <= int(time.time()) + 90, short_claims)

    # --- the binding lives no longer than the window or the interval that permitted it ---
    if WINDOW_END is None:
        checks.skip("inside an hours window: permit; binding exp <= the end of the hours window",
                    "the window, an hour back to 3 minutes ahead, would cross midnight UTC")
    else:
        status, _, body = decide([doctor], api="clinic.example/Window/a")
        window_binding = body.get("binding") if isinstance(body, dict) else None
        if check("inside an hours window: permit", isinstance(window_binding, str), (status, body)):
            window_claims = pyjwt_verify(window_binding, jwks)
            check("binding exp <= the end of the hours window", window_claims["exp"] <= WINDOW_END.timestamp(),
                  (window_claims, WINDOW_END.isoformat()))
    shift_end = int(time.time()) + 100
    shift = {"start": datetime.fromtimestamp(shift_end - 3600, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
             "end": datetime.fromtimestamp(shift_end, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")}
    status, _, body = decide([credential(authority_key, {"rank": "AttendingDoctor", "shift": shift})],
                             api="clinic.example/Ward/3")
    shift_binding = body.get("binding") if isinstance(body, dict) else None
    if check("within the shift interval: permit", isinstance(shift_binding, str), (status, body)):
        shift_claims = pyjwt_verify(shift_binding, jwks)
        check("binding exp <= the end of the shift", shift_claims["exp"] <= shift_end, (shift_claims, shift))
    past = {"start": "2020-01-01T08:00:00Z", "end": "2020-01-01T18:00:00Z"}
    status, _, body = decide([credential(authority_key, {"rank": "AttendingDoctor", "shift": past})],
                             api="clinic.example/Ward/3")
    check("outside the shift interval: deny", isinstance(body, dict) and body.get("decision") == "deny", (status, body))

    # --- ES256 credential from the same authority ---
    ec_doctor = credential(authority_ec_key, {"rank": "AttendingDoctor"}, alg="ES256", kid="hospital-ec-1")
    status, _, body = decide([ec_doctor])
    check("ES256 credential: permit", isinstance(body, dict) and body.get("decision") == "permit", (status, body))

    # --- denials: no binding ---
    nurse = credential(authority_key, {"rank": "Nurse"})
    status, _, body = decide([nurse])
    check("Nurse: deny", status == 200 and isinstance(body, dict) and body.get("decision") == "deny", (status, body))
    check("Nurse: no binding", isinstance(body, dict) and not body.get("binding"), body)

    stranger_key = ed25519.Ed25519PrivateKey.generate()
    forged = credential(stranger_key, {"rank": "SeniorDoctor"})
    status, _, body = decide([forged])
    check("credential signed by an unregistered key: deny", isinstance(body, dict)
          and body.get("decision") == "deny" and not body.get("binding"), (status, body))
    status, _, body = decide([credential(authority_key, {"rank": "SeniorDoctor"}, iss="insurer.example")])
    check("credential from an unknown authority: deny", isinstance(body, dict)
          and body.get("decision") == "deny" and not body.get("binding"), (status, body))
    status, _, body = decide([credential(authority_key, {"rank": "SeniorDoctor"}, exp=int(time.time()) - 10,
                                         nbf=int(time.time()) - 3600)])
    check("expired credential: deny", isinstance(body, dict) and body.get("decision") == "deny"
          and not body.get("binding"), (status, body))
    status, _, body = decide([credential(authority_key, {"rank": "SeniorDoctor"}, nbf=int(time.time()) + 3600,
                                         exp=int(time.time()) + 7200)])
    check("credential not yet valid: deny", isinstance(body, dict) and body.get("decision") == "deny", (status, body))
    status, _, body = decide([credential(authority_key, {"rank": "SeniorDoctor"}, sub="mallory")])
    check("credential for another subject: deny", isinstance(body, dict) and body.get("decision") == "deny", (status, body))
    status, _, body = decide([doctor], api="clinic.example/PatientMonitor/bed1")
    check("API outside the policy: deny", isinstance(body, dict) and body.get("decision") == "deny", (status, body))
    status, _, body = decide([doctor], action="destroy")
    check("action outside the policy: deny", isinstance(body, dict) and body.get("decision") == "deny", (status, body))

    # --- key rotation ---
    old_kid = header.get("kid")
    status, _, body = call("POST", "/v1/keys/rotate", token=admin)
    check("POST /v1/keys/rotate (admin)", status in (200, 201, 204), (status, body))
    status, _, body = call("POST", "/v1/keys/rotate", token=decide_token)
    check("POST /v1/keys/rotate with a decide token is refused (403)", status == 403, (status, body))
    status, _, rotated = call("GET", "/.well-known/jwks.json")
    rotated_kids = [k.get("kid") for k in rotated.get("keys", [])] if isinstance(rotated, dict) else []
    check("rotated JWKS keeps the old key and adds a new one", old_kid in rotated_kids and len(rotated_kids) >= 2,
          rotated)
    check("PyJWT verifies the old binding against the rotated JWKS", not rejected(pyjwt_verify, binding, rotated))
    check("joserfc verifies the old binding against the rotated JWKS", not rejected(joserfc_verify, binding, rotated))
    status, _, body = decide([doctor])
    new_binding = body.get("binding") if isinstance(body, dict) else None
    if check("permit after rotation carries a binding", isinstance(new_binding, str), (status, body)):
        new_kid = jwt.get_unverified_header(new_binding).get("kid")
        check("new binding has a different kid", new_kid != old_kid, (new_kid, old_kid))
        check("new kid is in the rotated JWKS", new_kid in rotated_kids, (new_kid, rotated_kids))
        check("PyJWT verifies the new binding", not rejected(pyjwt_verify, new_binding, rotated))
        check("joserfc verifies the new binding", not rejected(joserfc_verify, new_binding, rotated))
        check("the new binding does not verify against the old JWKS",
              rejected(pyjwt_verify, new_binding, jwks) and rejected(joserfc_verify, new_binding, jwks))
    status, _, body = call("GET", "/v1/gateway/authorize", token=binding, headers=gateway)
    check("gateway adapter still accepts the pre-rotation binding", status == 200, (status, body))

    status, _, health = call("GET", "/health")
    check("daemon still healthy", status == 200, (status, health))
except Exception as error:  # a crash in the script is a failure, not a silent pass
    import traceback
    traceback.print_exc()
    check("script ran to the end", False, repr(error))
finally:
    daemon.stop()

checks.finish()
