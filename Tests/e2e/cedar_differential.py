"""Differential test of registryd's access decisions against Cedar (cedarpy).

    python3 Tests/e2e/cedar_differential.py .build/debug/registryd [--requests N] [--seed S] [--keep DIR]

Generates N (default 12,000) decision requests from a fixed seed: subjects with random subsets of
attributes (some values of the wrong type), API names that match and miss the `*` and `**`
patterns, all six actions, instants over two weeks (Mon 2026-11-16 .. Mon 2026-11-30, with extra
weight on window boundaries) and random request contexts. registryd decides them with
`registryd policy eval bench/cedar/differential.policy --requests FILE --trust-attributes`;
cedarpy decides the same requests with bench/cedar/differential.cedar, whose rules are the same
rules written with explicit `has` guards so that Cedar's "skip a policy that errors" gives
registryd's fail-closed, three-valued result (see the header of that file).

Prints up to 20 disagreements with their requests, the permit/deny counts of both engines and
`cedar-differential: N agreed, N disagreed`; exits 1 on any disagreement (or if a Cedar rule
errors, which means a guard is missing in the Cedar file).

Where docs/policy.md leaves room, the Cedar twin encodes (and registryd was seen to follow):
the weekly window `08:00-18:00` is half-open [08:00, 18:00); `within [a .. b]` and
`within subject.shift` include both ends; a trailing `/**` also matches the bare prefix and
`a/**/b` matches `a/b`; an attribute value of the wrong type (rank "Janitor", clearance "high")
makes only that attribute unevaluable. The generator never produces empty path segments.
Also prints whether the rules registryd names agree with Cedar's reasons (every permit that
applied; for a deny, registryd may name only the first forbid that applied) -- reported only.
"""
import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from collections import Counter
from datetime import datetime, timedelta, timezone

import cedarpy

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
POLICY = os.path.join(ROOT, "bench/cedar/differential.policy")
CEDAR = os.path.join(ROOT, "bench/cedar/differential.cedar")
SCHEMA = os.path.join(ROOT, "bench/cedar/differential.cedarschema")

RANKS = ["Nurse", "AttendingDoctor", "SeniorDoctor", "ClinicDirector"]
ACTIONS = ["call", "provide", "publish", "subscribe", "create", "destroy"]
START = datetime(2026, 11, 16, tzinfo=timezone.utc)  # a Monday
END = datetime(2026, 11, 30, tzinfo=timezone.utc)
# Instants the policy names, and a second either side of them.
LANDMARKS = [datetime(2026, 11, 20, 6, tzinfo=timezone.utc), datetime(2026, 11, 26, 18, tzinfo=timezone.utc),
             datetime(2026, 11, 27, tzinfo=timezone.utc)]

# (API name, weight, actions worth trying more often on it)
APIS = [
    ("clinic.example/PatientMonitor/heart-rate", 8, ["subscribe", "call"]),
    ("clinic.example/PatientMonitor/spo2", 6, ["subscribe", "call"]),
    ("clinic.example/PatientMonitor/heart-rate/configure", 6, ["call"]),
    ("clinic.example/PatientMonitor/bp/configure", 4, ["call"]),
    ("clinic.example/PatientMonitor/bp/configure/advanced", 2, ["call"]),  # not */configure
    ("clinic.example/PatientMonitor", 1, ["subscribe", "create"]),  # no segment for *
    ("clinic.example/Lab/results", 4, ["subscribe", "call"]),  # **/results with no segment
    ("clinic.example/Lab/blood/results", 4, ["subscribe", "call", "publish"]),
    ("clinic.example/Lab/blood/panel/results", 3, ["subscribe", "publish"]),
    ("clinic.example/Lab/orders", 4, ["call", "publish"]),
    ("clinic.example/Lab", 1, ["call", "publish"]),  # trailing ** with no segment
    ("clinic.example/Pharmacy/orders", 6, ["call"]),
    ("clinic.example/Pharmacy/stock/items", 2, ["call"]),  # not Pharmacy/*
    ("clinic.example/Records/2026", 4, ["publish", "call"]),
    ("clinic.example/Records/2026/11/23", 3, ["publish", "call"]),
    ("clinic.example/Triage/queue", 5, ["call", "subscribe"]),
    ("clinic.example/Triage/queue/head", 1, ["call", "subscribe"]),  # not Triage/*
    ("clinic.example", 1, ["create", "destroy"]),  # trailing ** with no segment
    ("vehicle.example/Platoon/p1/setSpeed", 8, ["call", "provide"]),
    ("vehicle.example/Platoon/p2/setSpeed", 4, ["call", "provide"]),
    ("vehicle.example/Platoon/p1/lead/setSpeed", 3, ["call", "provide"]),  # ** but not */setSpeed
    ("vehicle.example/Platoon/p1/status", 3, ["subscribe", "publish"]),
    ("vehicle.example/Platoon", 1, ["create"]),
    ("vehicle.example/setSpeed", 2, ["call", "provide"]),  # **/setSpeed with no segment
    ("vehicle.example/Truck/t9/setSpeed", 3, ["call", "provide"]),
    # Near misses: none of these match any pattern.
    ("clinic.example.org/PatientMonitor/heart-rate", 1, ["subscribe"]),
    ("clinic.examples/Lab/results", 1, ["subscribe"]),
    ("other.example/PatientMonitor/heart-rate", 1, ["subscribe"]),
    ("clinic.example/PatientMonitors/heart-rate", 1, ["subscribe"]),
    ("Clinic.example/Pharmacy/orders", 1, ["call"]),
    ("vehicle.example/Platoon2/p1/setSpeed", 1, ["call"]),
    ("vehicle.example/Platoon/p1/setSpeedX", 1, ["call"]),
]


def rfc3339(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def epoch(t):
    return int(t.timestamp())


def random_instant(rng, shift):
    """Uniform over the two weeks, or (1 in 4) on a boundary the policy cares about."""
    r = rng.random()
    if shift is not None and r < 0.25:  # during the subject's shift
        return shift[0] + timedelta(seconds=rng.randrange(int((shift[1] - shift[0]).total_seconds())))
    if r < 0.75:
        return START + timedelta(seconds=rng.randrange(int((END - START).total_seconds())))
    if r < 0.85:  # the weekly window's edges, on any day
        day = START + timedelta(days=rng.randrange(14))
        hms = rng.choice([(8, 0, 0), (7, 59, 59), (8, 0, 1), (17, 59, 59), (18, 0, 0), (18, 0, 1), (0, 0, 0),
                          (23, 59, 59)])
        return day.replace(hour=hms[0], minute=hms[1], second=hms[2])
    if r < 0.91 or shift is None:
        return rng.choice(LANDMARKS) + timedelta(seconds=rng.choice([-1, 0, 1]))
    return rng.choice(shift) + timedelta(seconds=rng.choice([-1, 0, 1]))


def generate(rng, n):
    """Yields (registryd request, Cedar principal attributes, Cedar context) triples."""
    names = [a[0] for a in APIS]
    weights = [a[1] for a in APIS]
    favoured = {a[0]: a[2] for a in APIS}
    for i in range(n):
        present = rng.random() * 0.4 + 0.6  # each subject has its own share of attributes present
        attrs, cedar = {}, {}
        shift = None
        if rng.random() < present:
            if rng.random() < 0.03:
                attrs["rank"] = "Janitor"  # outside the domain: unevaluable
            else:
                k = rng.choice([0, 1, 1, 2, 2, 3])
                attrs["rank"], cedar["rank"] = RANKS[k], k
        if rng.random() < present:
            start = START - timedelta(hours=12) + timedelta(minutes=rng.randrange(15 * 24 * 60 // 15) * 15)
            if rng.random() < 0.3:
                start += timedelta(seconds=rng.randrange(900))
            end = start + timedelta(minutes=rng.randrange(2 * 60, 14 * 60 + 1, 15))
            shift = (start, end)
            attrs["shift"] = ({"start": rfc3339(start), "end": rfc3339(end)} if rng.random() < 0.7
                              else f"{rfc3339(start)}/{rfc3339(end)}")
            cedar["shift"] = {"start": epoch(start), "end": epoch(end)}
        if rng.random() < present:
            attrs["ward"] = cedar["ward"] = rng.choice(["cardiology", "cardiology", "oncology", "radiology"])
        if rng.random() < present:
            attrs["domain"] = cedar["domain"] = rng.choice(["clinic.example", "fleet.example", "other.example"])
        if rng.random() < present:
            attrs["role"] = cedar["role"] = rng.choice(["Technician", "Pharmacist", "Pharmacist", "PlatoonLeader", "PlatoonLeader", "Driver"])
        if rng.random() < present:
            teams = sorted(t for t in ["lab", "icu", "admin"] if rng.random() < (0.6 if t == "lab" else 0.4))
            attrs["teams"] = teams
            cedar["teams"] = teams
        if rng.random() < present:
            if rng.random() < 0.03:
                attrs["clearance"] = "high"  # not an integer: unevaluable
            else:
                attrs["clearance"] = cedar["clearance"] = rng.choice([0, 1, 2, 3, 4, 5, 2, 3, 4])

        context, cedar_context = {}, {}
        if rng.random() < 0.75:
            context["site"] = rng.choice(["berlin", "munich", "hamburg", "berlin", "remote", "paris"])
        if rng.random() < 0.65:
            context["emergency"] = rng.random() < 0.65
        if rng.random() < 0.7:
            context["load"] = rng.choice([rng.randrange(121), rng.randrange(80), 49, 50, 80, 81, 100, 101])
        cedar_context.update(context)

        now = random_instant(rng, shift)
        cedar_context["now"] = epoch(now)
        cedar_context["minuteOfDay"] = now.hour * 60 + now.minute
        cedar_context["weekday"] = now.isoweekday()

        api = rng.choices(names, weights)[0]
        action = rng.choice(favoured[api]) if rng.random() < 0.85 else rng.choice(ACTIONS)
        request = {"subject": {"id": f"u{i}", "attributes": attrs}, "api": api, "action": action,
                   "time": rfc3339(now), "context": context}
        yield request, cedar, cedar_context


def cedar_decide(cases):
    policies = cedarpy.PolicySet.from_str(open(CEDAR).read())
    schema = open(SCHEMA).read()
    check = cedarpy.validate_policies(open(CEDAR).read(), schema)
    if not check.validation_passed:
        sys.exit(f"cedar-differential: {CEDAR} does not validate: {check.errors}")
    entities = [{"uid": {"type": "User", "id": r["subject"]["id"]}, "attrs": attrs, "parents": []}
                for r, attrs, _ in cases]
    entities += [{"uid": {"type": "Api", "id": name}, "attrs": {"name": name}, "parents": []}
                 for name in sorted({r["api"] for r, _, _ in cases})]
    entities = cedarpy.Entities.from_json_str(json.dumps(entities), schema)
    requests = [{"principal": {"type": "User", "id": r["subject"]["id"]},
                 "action": {"type": "Action", "id": r["action"]},
                 "resource": {"type": "Api", "id": r["api"]},
                 "context": ctx} for r, _, ctx in cases]
    results = []
    for k in range(0, len(requests), 1000):
        results += cedarpy.is_authorized_batch(requests[k:k + 1000], policies, entities)
    decisions, reasons, errors = [], [], []
    for result in results:
        diag = result.diagnostics
        ids = diag.id_annotations_by_reason
        reasons.append(sorted(ids.get(p, p) for p in diag.reasons))
        errors.append(diag.errors)
        decisions.append("permit" if result.allowed else "deny")
    return decisions, reasons, errors


def registryd_decide(binary, cases, workdir):
    path = os.path.join(workdir, "requests.jsonl")
    with open(path, "w") as f:
        for r, _, _ in cases:
            f.write(json.dumps(r, separators=(",", ":")) + "\n")
    checked = subprocess.run([binary, "policy", "check", POLICY], capture_output=True, text=True)
    if checked.returncode != 0:
        sys.exit(f"cedar-differential: registryd policy check failed:\n{checked.stdout}{checked.stderr}")
    print(f"registryd policy check: {checked.stdout.strip()}")
    run = subprocess.run([binary, "policy", "eval", POLICY, "--requests", path, "--trust-attributes"],
                         capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"cedar-differential: registryd policy eval exited {run.returncode}:\n{run.stderr[-4000:]}")
    lines = [line for line in run.stdout.splitlines() if line.strip()]
    if len(lines) != len(cases):
        sys.exit(f"cedar-differential: {len(cases)} requests but registryd printed {len(lines)} decisions")
    decisions, rules = [], []
    for line in lines:
        answer = json.loads(line)
        if answer.get("decision") not in ("permit", "deny"):
            sys.exit(f"cedar-differential: unexpected registryd answer {line}")
        decisions.append(answer["decision"])
        rules.append(answer.get("rules", []))
    return decisions, rules


def share(counter, total):
    return ", ".join(f"{k} {v} ({100 * v / total:.1f}%)" for k, v in sorted(counter.items()))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("binary")
    parser.add_argument("--requests", type=int, default=12000)
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--keep", help="write the requests and both engines' answers to this directory")
    parser.add_argument("--cedar-only", action="store_true", help="evaluate with Cedar only (no registryd)")
    args = parser.parse_args()

    cases = list(generate(random.Random(args.seed), args.requests))
    cedar, cedar_reasons, cedar_errors = cedar_decide(cases)
    total = len(cases)
    print(f"cedar: {share(Counter(cedar), total)}")
    fired = Counter(rule for rs in cedar_reasons for rule in rs)
    print("cedar rules deciding: " + ", ".join(f"{k} {v}" for k, v in sorted(fired.items())))
    missing = sum(1 for r, _, _ in cases if len(r["subject"]["attributes"]) < 7)
    print(f"requests with a missing or mistyped subject attribute: {missing}")
    broken = [(i, e) for i, e in enumerate(cedar_errors) if e]
    if broken:
        for i, e in broken[:5]:
            print(f"cedar error on request {i}: {e}\n  {json.dumps(cases[i][0])}")
        sys.exit(f"cedar-differential: {len(broken)} Cedar evaluations errored (a `has` guard is missing)")
    low = [d for d in ("permit", "deny") if Counter(cedar)[d] < 0.2 * total]
    if low:
        print(f"warning: fewer than 20% {' and '.join(low)} decisions: the test is weak", file=sys.stderr)
    if args.cedar_only:
        return

    if args.keep:
        os.makedirs(args.keep, exist_ok=True)
        workdir = args.keep
        ours, our_rules = registryd_decide(args.binary, cases, workdir)
    else:
        with tempfile.TemporaryDirectory(prefix="cedar-differential-") as workdir:
            ours, our_rules = registryd_decide(args.binary, cases, workdir)
    print(f"registryd: {share(Counter(ours), total)}")
    disagreed = [i for i in range(total) if ours[i] != cedar[i]]
    for i in disagreed[:20]:
        r, attrs, ctx = cases[i]
        print(f"DISAGREE #{i}: registryd {ours[i]} (rules {json.dumps(our_rules[i])}), "
              f"cedar {cedar[i]} (rules {cedar_reasons[i]})\n  request: {json.dumps(r)}\n"
              f"  cedar context: minuteOfDay {ctx['minuteOfDay']}, weekday {ctx['weekday']}, now {ctx['now']}")
    # The rules each engine names: every permit that applied for a permit; for a deny, registryd
    # may name only the first forbid that applied, so one of Cedar's forbids (or none when no
    # forbid applied). Reported, not a failure: the decision is what both engines must agree on.
    odd = []
    for i in range(total):
        if ours[i] != cedar[i]:
            continue
        named = {x if isinstance(x, str) else json.dumps(x, sort_keys=True) for x in our_rules[i]}
        expected = set(cedar_reasons[i])
        if ours[i] == "permit" and named != expected or \
                ours[i] == "deny" and (not named <= expected or bool(named) != bool(expected)):
            odd.append(i)
    for i in odd[:5]:
        print(f"rules differ #{i}: registryd {json.dumps(our_rules[i])}, cedar {cedar_reasons[i]}\n"
              f"  request: {json.dumps(cases[i][0])}")
    print(f"rules named: {total - len(odd)} consistent with Cedar's, {len(odd)} not")
    if args.keep:
        with open(os.path.join(workdir, "answers.jsonl"), "w") as f:
            for i in range(total):
                f.write(json.dumps({"registryd": ours[i], "registrydRules": our_rules[i], "cedar": cedar[i],
                                    "cedarRules": cedar_reasons[i]}) + "\n")
    print(f"cedar-differential: {total - len(disagreed)} agreed, {len(disagreed)} disagreed")
    sys.exit(1 if disagreed else 0)


if __name__ == "__main__":
    main()
