"""Credentials for the HTTP part of the decision benchmark (bench/decisions.sh).

    python3 bench/decisions_credentials.py OUTDIR [--subjects 200]

Generates an Ed25519 key for the authority "hospital.example" and writes
  OUTDIR/authority.json  {"keys": [public JWK]}  (the body of PUT /v1/authorities/hospital.example)
  OUTDIR/bodies.jsonl    one POST /v1/decisions body per line, compact JSON, cycling over SUBJECTS
                         subjects of bench/decisions_workload.py, each with one credential (EdDSA,
                         payload as in docs/policy.md "Credentials", valid from an hour ago for two
                         hours) and an API and action from the workload.
The week of shifts is centred on the current time, and a third of the subjects get a shift
around it, so that `on-shift` permits at any hour. Each credential is verified with PyJWT before it is written.
"""
import argparse
import base64
import json
import os
import sys
import time
from datetime import datetime, timedelta, timezone

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import decisions_workload as workload  # noqa: E402

AUTHORITY = "hospital.example"


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("outdir")
    parser.add_argument("--subjects", type=int, default=200)
    parser.add_argument("--apis", type=int, default=50)
    args = parser.parse_args()
    os.makedirs(args.outdir, exist_ok=True)

    key = Ed25519PrivateKey.generate()
    public = key.public_key()
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    jwk = {"kty": "OKP", "crv": "Ed25519", "x": b64url(raw)}
    with open(os.path.join(args.outdir, "authority.json"), "w") as f:
        json.dump({"keys": [jwk]}, f)

    now = int(time.time())
    wall = datetime.fromtimestamp(now, timezone.utc)
    people = workload.subjects(args.subjects, wall - timedelta(days=3, hours=12))
    names = workload.apis(args.apis)
    picks = workload.requests(people, names, args.subjects, wall)
    with open(os.path.join(args.outdir, "bodies.jsonl"), "w") as f:
        for k, person in enumerate(people):
            shift = person["shift"]
            if k % 3 == 0:
                shift = (wall - timedelta(hours=4), wall + timedelta(hours=4))
            payload = {"iss": AUTHORITY, "sub": person["id"], "nbf": now - 3600, "exp": now + 7200,
                       "attributes": {"rank": workload.RANKS[person["rank"]], "ward": person["ward"],
                                      "shift": {"start": workload.rfc3339(shift[0]),
                                                "end": workload.rfc3339(shift[1])}}}
            if "domain" in person:
                payload["attributes"]["domain"] = person["domain"]
            token = jwt.encode(payload, key, algorithm="EdDSA")
            assert jwt.decode(token, public, algorithms=["EdDSA"])["attributes"] == payload["attributes"]
            _, api, action, _ = picks[k]
            body = {"subject": {"id": person["id"], "credentials": [token]}, "api": api, "action": action,
                    "context": {}}
            f.write(json.dumps(body, separators=(",", ":")) + "\n")
    print(f"{args.subjects} credentials signed by {AUTHORITY} in {args.outdir}")


if __name__ == "__main__":
    main()
