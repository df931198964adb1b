"""cedarpy's side of the decision benchmark (bench/decisions.sh).

    python3 bench/decisions_cedar.py [--subjects 2000] [--apis 50] [--requests 20000] [--batch 100]

Builds bench/cedar/bench.cedar (the rules of Fig. 4) with SUBJECTS User entities (rank, ward,
shift, domain) and APIS Api entities, parses the policies and entities once (PolicySet and
Entities handles, as registryd compiles its policy set once), then times
`cedarpy.is_authorized_batch` on batches of BATCH requests (the context -- now, the minute of the
day and the weekday in Europe/Berlin -- is computed before the clock starts). One warm-up batch.
A decision's latency is its batch's time divided by BATCH (so the p99 is that of batch
averages, not of single decisions); prints

    cedarpy: median X µs, p99 Y µs per decision over N decisions (batches of B); P% permit
    cedarpy one call per decision: median X µs, p99 Y µs over N decisions

the second line timing `cedarpy.is_authorized` on each of the first SINGLE requests alone (what
`registryd policy bench` times: one decision at a time).

With `--check REGISTRYD`, the timed requests are also decided by
`REGISTRYD policy eval bench/cedar/bench.policy --trust-attributes`, and the script prints
`bench equivalence: N agreed, N disagreed` (exit 1 on a disagreement): the two policy sets
must be the same rules for the figures to compare.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from zoneinfo import ZoneInfo

import cedarpy

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import decisions_workload as workload  # noqa: E402

BERLIN = ZoneInfo("Europe/Berlin")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--subjects", type=int, default=2000)
    parser.add_argument("--apis", type=int, default=50)
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--single", type=int, default=2000,
                        help="also time this many decisions one `is_authorized` call each (0: skip)")
    parser.add_argument("--check", metavar="REGISTRYD", help="compare the decisions with registryd's")
    args = parser.parse_args()

    people = workload.subjects(args.subjects, workload.MONDAY)
    names = workload.apis(args.apis)
    entities = [{"uid": {"type": "User", "id": p["id"]}, "parents": [],
                 "attrs": dict({"rank": p["rank"], "ward": p["ward"],
                                "shift": {"start": int(p["shift"][0].timestamp()),
                                          "end": int(p["shift"][1].timestamp())}},
                               **({"domain": p["domain"]} if "domain" in p else {}))} for p in people]
    entities += [{"uid": {"type": "Api", "id": n}, "attrs": {"name": n}, "parents": []} for n in names]
    entities = cedarpy.Entities.from_json_str(json.dumps(entities))
    policies = cedarpy.PolicySet.from_str(open(os.path.join(ROOT, "bench/cedar/bench.cedar")).read())

    batch, ours = [], []
    for person, api, action, t in workload.requests(people, names, args.requests + args.batch, workload.MONDAY):
        attributes = {"rank": workload.RANKS[person["rank"]], "ward": person["ward"],
                      "shift": {"start": workload.rfc3339(person["shift"][0]),
                                "end": workload.rfc3339(person["shift"][1])}}
        if "domain" in person:
            attributes["domain"] = person["domain"]
        ours.append({"subject": {"id": person["id"], "attributes": attributes}, "api": api, "action": action,
                     "time": workload.rfc3339(t), "context": {}})
        local = t.astimezone(BERLIN)
        batch.append({"principal": {"type": "User", "id": person["id"]},
                      "action": {"type": "Action", "id": action},
                      "resource": {"type": "Api", "id": api},
                      "context": {"now": int(t.timestamp()), "minuteOfDay": local.hour * 60 + local.minute,
                                  "weekday": local.isoweekday()}})
    batches = [batch[k:k + args.batch] for k in range(0, len(batch), args.batch)]
    cedarpy.is_authorized_batch(batches[0], policies, entities)  # warm-up
    per_decision, permits, decided, allowed = [], 0, 0, []
    for b in batches[1:]:
        t0 = time.perf_counter_ns()
        results = cedarpy.is_authorized_batch(b, policies, entities)
        elapsed = time.perf_counter_ns() - t0
        allowed += [r.allowed for r in results]
        per_decision += [elapsed / len(b) / 1000] * len(b)
        permits += sum(1 for r in results if r.allowed)
        decided += len(b)
        if any(r.diagnostics.errors for r in results):
            sys.exit("decisions_cedar: a Cedar policy errored: " + str(next(r.diagnostics.errors for r in results
                                                                        if r.diagnostics.errors)))
    per_decision.sort()
    median = statistics.median(per_decision)
    p99 = per_decision[min(len(per_decision) - 1, int(0.99 * len(per_decision)))]
    print(f"cedarpy: median {median:.2f} µs, p99 {p99:.2f} µs per decision over {decided} decisions "
          f"(batches of {args.batch}); {100 * permits / decided:.1f}% permit")
    if args.single:
        single = []
        for request in batch[:args.single]:
            t0 = time.perf_counter_ns()
            cedarpy.is_authorized(request, policies, entities)
            single.append((time.perf_counter_ns() - t0) / 1000)
        single.sort()
        print(f"cedarpy one call per decision: median {statistics.median(single):.2f} µs, "
              f"p99 {single[min(len(single) - 1, int(0.99 * len(single)))]:.2f} µs over {len(single)} decisions")
    if args.check:
        check(args.check, ours[args.batch:], allowed)


def check(binary, requests, allowed):
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl") as f:
        f.writelines(json.dumps(r, separators=(",", ":")) + "\n" for r in requests)
        f.flush()
        run = subprocess.run([binary, "policy", "eval", os.path.join(ROOT, "bench/cedar/bench.policy"),
                              "--requests", f.name, "--trust-attributes"], capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"bench equivalence: registryd policy eval failed: {run.stderr[-2000:]}")
    theirs = [json.loads(line)["decision"] == "permit" for line in run.stdout.splitlines() if line.strip()]
    wrong = [i for i in range(len(requests)) if i >= len(theirs) or theirs[i] != allowed[i]]
    for i in wrong[:5]:
        print(f"bench disagreement: cedar {'permit' if allowed[i] else 'deny'}: {json.dumps(requests[i])}")
    print(f"bench equivalence: {len(requests) - len(wrong)} agreed, {len(wrong)} disagreed")
    if wrong:
        sys.exit(1)


if __name__ == "__main__":
    main()
