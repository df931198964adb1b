"""The decision benchmark's workload (bench/decisions.sh), shared by decisions_cedar.py and
decisions_credentials.py: subjects with rank, ward, shift and domain, API names under the
patterns of bench/cedar/bench.policy, and requests drawn from them, all from a fixed seed.
The same shape as the clinic `registryd policy bench` generates (Sources/registryd/Commands/
PolicyBench.swift): five wards, ten-hour shifts starting on the hour within the week, one
subject in ten of domain clinic.example, APIs bed-N, bed-N/configure and Pharmacy/orders-N,
actions subscribe, call and create, instants uniform over the week."""
import random
from datetime import datetime, timedelta, timezone

RANKS = ["Nurse", "AttendingDoctor", "SeniorDoctor", "ClinicDirector"]
WARDS = ["cardiology", "oncology", "neurology", "pediatrics", "surgery"]
ACTIONS = ["subscribe", "call", "create"]


def subjects(n, week, seed=1):
    """n subjects; each ten-hour shift starts on an hour of the week from `week`; domain is
    missing for nine in ten."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        start = week + timedelta(hours=rng.randrange(7 * 24))
        person = {"id": f"staff{i:05d}", "rank": rng.randrange(4), "ward": rng.choice(WARDS),
                  "shift": (start, start + timedelta(hours=10))}
        if rng.randrange(10) == 0:
            person["domain"] = "clinic.example"
        out.append(person)
    return out


def apis(n):
    """n API names: 60% monitors, 20% monitor settings, 20% other clinic APIs."""
    names = []
    for k in range(n):
        if k % 5 < 3:
            names.append(f"clinic.example/PatientMonitor/bed-{k}")
        elif k % 5 == 3:
            names.append(f"clinic.example/PatientMonitor/bed-{k}/configure")
        else:
            names.append(f"clinic.example/Pharmacy/orders-{k}")
    return names


def requests(subject_list, api_list, n, start, seed=2):
    """n (subject, api, action, instant) tuples, instants uniform over the week from `start`."""
    rng = random.Random(seed)
    return [(rng.choice(subject_list), rng.choice(api_list), rng.choice(ACTIONS),
             start + timedelta(seconds=rng.randrange(7 * 86400))) for _ in range(n)]


def rfc3339(t):
    return t.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


MONDAY = datetime(2026, 11, 23, tzinfo=timezone.utc)
