#!/usr/bin/env python3
"""Writes seed inputs for fuzz-credentials into the directory given as argument: credentials signed
by the fuzzer's fixed authority key (Ed25519 seed bytes 0..31), bindings signed by its fixed binding
key (seed bytes 32..63), a few broken tokens, and the bare claim JSON (the fuzzer also signs each
input as a payload)."""
import json, os, sys, time
import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
authority = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
binding = Ed25519PrivateKey.from_private_bytes(bytes(range(32, 64)))
now = 1795392000  # 2026-11-23
credentials = [
    {"iss": "authority.example", "sub": "alice", "exp": now + 3600, "attributes": {"role": "Nurse"}},
    {"iss": "authority.example", "sub": "bob", "exp": now + 3600, "nbf": now,
     "attributes": {"role": "AttendingDoctor", "ward": ["cardiology", "icu"], "level": 3, "active": True,
                    "since": "2026-01-01T00:00:00Z"}},
    {"iss": "other", "sub": "mallory", "exp": 1.5e300, "attributes": {}},
]
bindings = [
    {"iss": "registryd", "sub": "alice", "api": "snac.asu.edu/Weather/phoenix/getForecast", "act": "call",
     "endpoints": [{"protocol": "http", "address": "http://10.0.0.1:8080", "version": "1.0.0", "weight": 1,
                    "health": "passing", "method": "GET"}],
     "constraints": {"messagesPerSecond": 10, "burst": 5}, "iat": now, "nbf": now, "exp": now + 60, "generation": 7, "jti": "b-1",
     "rules": ["allow-nurses"], "redirect": "http://example.org/"},
]
n = 0
def write(text):
    global n
    with open(os.path.join(out, "seed-%02d" % n), "w") as f:
        f.write(text)
    n += 1
for claims in credentials:
    write(jwt.encode(claims, authority, algorithm="EdDSA", headers={"typ": "JWT"}))
    write(json.dumps(claims))
for claims in bindings:
    write(jwt.encode(claims, binding, algorithm="EdDSA", headers={"typ": "JWT"}))
    write(json.dumps(claims))
token = jwt.encode(credentials[0], authority, algorithm="EdDSA")
write(token.rsplit(".", 1)[0] + ".AAAA")            # bad signature
write("eyJhbGciOiJub25lIn0." + token.split(".")[1] + ".")  # alg none
write("...")
