#!/usr/bin/env python3
"""Validate the example manifests against schemas/manifest.schema.json.

Usage: scripts/check-examples.py [--root DIR] [--quiet]

  1. checks that schemas/manifest.schema.json is a valid JSON Schema (draft 2020-12);
  2. validates every examples/**/*.json manifest (Thing Descriptions, *.td.json, excluded) against
     it, and checks what a schema cannot express (as the registry's decoder does): device
     references resolve, device ids, object names and member (method + channel) names are unique,
     object names share the service's site, full method/channel names stay within 256
     characters, every demo manifest has an instance.id and no ttl, instance ids are unique
     across the examples, and domain IRIs (http://example.org/...) used as device types or
     observed properties are defined in examples/domain/*.rdf (needs rdflib; skipped without it);
  3. checks the Thing Descriptions (examples/**/*.td.json) for the TD 1.1 fields the registry
     maps (context, title, id, @type, version, security, forms with hrefs);
  4. self-test: an unknown field injected at every level of every manifest must make it invalid,
     and a set of known-bad variants must be rejected while known-good variants are accepted.

Exit status: 0 when all holds, 1 on any failure, 2 on usage or environment errors.
"""

import argparse
import copy
import json
import pathlib
import sys

try:
    from jsonschema import Draft202012Validator
except ImportError:  # pragma: no cover
    print("check-examples: jsonschema is required (pip install jsonschema)", file=sys.stderr)
    sys.exit(2)

try:
    from rdflib import Graph, URIRef
    from rdflib.namespace import RDF, RDFS
except ImportError:  # pragma: no cover
    Graph = None

SOSA = "http://www.w3.org/ns/sosa/"
DEVICE_ROOTS = {SOSA + "Sensor", SOSA + "Actuator", SOSA + "Platform", SOSA + "System", SOSA + "Sampler"}
OBSERVABLE = {SOSA + "ObservableProperty", SOSA + "Property"}
TD_CONTEXT = "https://www.w3.org/2022/wot/td/v1.1"
UNKNOWN = "unexpectedField"


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def where(error):
    return "/" + "/".join(str(p) for p in error.absolute_path)


def schema_errors(validator, doc):
    return sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))


def site_of(name):
    return name.split("/", 1)[0]


def domain_vocabulary(root):
    """Classes and observable properties defined in examples/domain/*.rdf, or None without rdflib."""
    if Graph is None:
        return None
    g = Graph()
    for path in sorted((root / "examples" / "domain").glob("*.rdf")):
        g.parse(path, format="xml")
    device_classes = set()
    for cls in set(g.subjects(RDFS.subClassOf, None)):
        supers = {str(c) for c in g.transitive_objects(cls, RDFS.subClassOf)}
        if supers & DEVICE_ROOTS:
            device_classes.add(str(cls))
    observables = {str(s) for t in OBSERVABLE for s in g.subjects(RDF.type, URIRef(t))}
    return device_classes, observables


def semantic_problems(doc, vocab):
    problems = []
    name = doc.get("name", "")
    site = site_of(name)
    instance = doc.get("instance") or {}
    if "id" not in instance:
        problems.append("/instance: demo manifests must give instance.id")
    if "ttl" in instance:
        problems.append("/instance/ttl: demo manifests must not expire (no ttl)")
    device_ids = [d.get("id") for d in doc.get("devices", [])]
    if len(device_ids) != len(set(device_ids)):
        problems.append("/devices: duplicate device ids")
    object_names = [o.get("name") for o in doc.get("objects", [])]
    if len(object_names) != len(set(object_names)):
        problems.append("/objects: duplicate object names")

    def known(iri, pool, what, at):
        if vocab is not None and iri.startswith("http://example.org/") and iri not in pool:
            problems.append(f"{at}: {what} <{iri}> is not defined in examples/domain/*.rdf")

    for i, d in enumerate(doc.get("devices", [])):
        for j, t in enumerate(d.get("types", [])):
            known(t, vocab[0] if vocab else (), "device class", f"/devices/{i}/types/{j}")
        for j, p in enumerate(d.get("observes", [])):
            known(p, vocab[1] if vocab else (), "observable property", f"/devices/{i}/observes/{j}")

    for i, o in enumerate(doc.get("objects", [])):
        at = f"/objects/{i}"
        oname = o.get("name", "")
        if site_of(oname) != site:
            problems.append(f"{at}/name: {oname} is not in the service's site {site}")
        for j, ref in enumerate(o.get("devices", [])):
            if ref not in device_ids:
                problems.append(f"{at}/devices/{j}: no device with id {ref} in the manifest's devices")
        # Methods and channels of one object share one set of names (their full names).
        members = [m.get("name") for kind in ("methods", "channels") for m in o.get(kind, [])]
        if len(members) != len(set(members)):
            problems.append(f"{at}: a method or channel name appears twice")
        for kind in ("methods", "channels"):
            for k, m in enumerate(o.get(kind, [])):
                n = m.get("name")
                if n and len(oname) + 1 + len(n) > 256:
                    problems.append(f"{at}/{kind}/{k}/name: full name longer than 256 characters")
        for k, c in enumerate(o.get("channels", [])):
            if "observes" in c:
                known(c["observes"], vocab[1] if vocab else (), "observable property", f"{at}/channels/{k}/observes")
    return problems


def td_problems(td):
    problems = []
    ctx = td.get("@context")
    ctx_list = ctx if isinstance(ctx, list) else [ctx]
    if TD_CONTEXT not in ctx_list:
        problems.append(f"@context does not include {TD_CONTEXT}")
    prefixes = {k for c in ctx_list if isinstance(c, dict) for k in c}
    for field in ("title", "id", "securityDefinitions", "security"):
        if field not in td:
            problems.append(f"missing {field}")
    if not isinstance(td.get("version"), dict) or "instance" not in td["version"]:
        problems.append("missing version.instance")
    types = td.get("@type", [])
    types = types if isinstance(types, list) else [types]
    if "sosa:Sensor" not in types:
        problems.append('@type does not include "sosa:Sensor"')
    for t in types:
        if ":" in t and "://" not in t and t.split(":", 1)[0] not in prefixes:
            problems.append(f"@type {t}: prefix not declared in @context")
    security = td.get("security", [])
    for s in security if isinstance(security, list) else [security]:
        if s not in td.get("securityDefinitions", {}):
            problems.append(f"security {s} not in securityDefinitions")
    schemes = set()
    for kind in ("properties", "actions", "events"):
        for key, affordance in td.get(kind, {}).items():
            forms = affordance.get("forms", [])
            if not forms:
                problems.append(f"{kind}/{key}: no forms")
            for form in forms:
                href = form.get("href", "")
                if "://" not in href:
                    problems.append(f"{kind}/{key}: form without absolute href")
                    continue
                scheme = href.split("://", 1)[0]
                schemes.add((kind, scheme))
                if scheme.startswith("mqtt") and "mqv:topic" not in form:
                    problems.append(f"{kind}/{key}: MQTT form without mqv:topic")
                for k in form:
                    if ":" in k and k.split(":", 1)[0] not in prefixes | {"htv"}:
                        problems.append(f"{kind}/{key}: form term {k}: prefix not declared")
    for need in (("properties", "http"), ("properties", "coap"), ("actions", "http"), ("events", "mqtt")):
        if need not in schemes:
            problems.append(f"no {need[0]} form with a {need[1]} href")
    return problems


def inject_everywhere(doc):
    """Yield (path, variant) with UNKNOWN added to each JSON object of the manifest.

    The channel "schema" value is free JSON (anything goes), so objects inside it are skipped.
    """
    def walk(node, path):
        if isinstance(node, dict):
            yield path
            for k, v in node.items():
                if k == "schema" and path and path[-2] == "channels":
                    continue
                yield from walk(v, path + [k])
        elif isinstance(node, list):
            for i, v in enumerate(node):
                yield from walk(v, path + [i])

    for path in walk(doc, []):
        variant = copy.deepcopy(doc)
        target = variant
        for p in path:
            target = target[p]
        target[UNKNOWN] = True
        yield "/" + "/".join(map(str, path)), variant


def mutations():
    """(description, expect_valid, mutate(doc)) applied to examples/weight-management/wristband.json."""
    def setter(path, value):
        def apply(doc):
            target = doc
            for p in path[:-1]:
                target = target[p]
            target[path[-1]] = value
        return apply

    def deleter(path):
        def apply(doc):
            target = doc
            for p in path[:-1]:
                target = target[p]
            del target[path[-1]]
        return apply

    ep = ["objects", 0, "channels", 0, "endpoints", 0]
    return [
        ("name without domain", False, setter(["name"], "Wristband")),
        ("name with '..' segment", False, setter(["name"], "snac.asu.edu/../Wristband")),
        ("name with '.' segment", False, setter(["name"], "snac.asu.edu/./Wristband")),
        ("name with a space", False, setter(["name"], "snac.asu.edu/Wrist band")),
        ("name longer than 256", False, setter(["name"], "snac.asu.edu/" + "a" * 250)),
        ("name with deep path", True, setter(["name"], "snac.asu.edu/a/b.c/d~e-f_g")),
        ("version with a space", False, setter(["version"], "1.0 beta")),
        ("version of 65 characters", False, setter(["version"], "1" * 65)),
        ("missing version", False, deleter(["version"])),
        ("missing name", False, deleter(["name"])),
        ("instance id with '/'", False, setter(["instance", "id"], "a/b")),
        ("tier 'mist'", False, setter(["instance", "tier"], "mist")),
        ("tier 'fog'", True, setter(["instance", "tier"], "fog")),
        ("weight 10001", False, setter(["instance", "weight"], 10001)),
        ("weight 1.5", False, setter(["instance", "weight"], 1.5)),
        ("health 'sick'", False, setter(["instance", "health"], "sick")),
        ("ttl '30s'", True, setter(["instance", "ttl"], "30s")),
        ("ttl '500ms'", True, setter(["instance", "ttl"], "500ms")),
        ("ttl 90", True, setter(["instance", "ttl"], 90)),
        ("ttl '30 seconds'", False, setter(["instance", "ttl"], "30 seconds")),
        ("ttl 0", False, setter(["instance", "ttl"], 0)),
        ("ttl '1.5s'", True, setter(["instance", "ttl"], "1.5s")),
        ("ttl '30' (seconds as text)", True, setter(["instance", "ttl"], "30")),
        ("host '..'", False, setter(["instance", "host"], "..")),
        ("instance id '.'", False, setter(["instance", "id"], ".")),
        ("name with empty domain label", False, setter(["name"], "snac..asu.edu/Wristband")),
        ("device type with unknown prefix", False, setter(["devices", 0, "types"], ["wm:Wristband"])),
        ("device type sosa:Sensor", True, setter(["devices", 0, "types"], ["sosa:Sensor"])),
        ("method name with '/'", False, setter(["objects", 0, "methods", 0, "name"], "get/battery")),
        ("method name '..'", False, setter(["objects", 0, "methods", 0, "name"], "..")),
        ("availability 1.5", False, setter(["objects", 0, "methods", 0, "sla"], {"availability": 1.5})),
        ("mqtt endpoint without topic", False, deleter(ep + ["topic"])),
        ("mqtt endpoint with url", False, setter(ep + ["url"], "http://x.example/")),
        ("mqtt endpoint with http broker", False, setter(ep + ["broker"], "http://x.example")),
        ("mqtt endpoint over websockets", True, setter(ep + ["broker"], "wss://x.example/mqtt")),
        ("unknown protocol", False, setter(ep, {"protocol": "zigbee", "address": "0x1234"})),
        ("rest endpoint with coap url", False,
         setter(ep, {"protocol": "rest", "url": "coap://x.example/a"})),
        ("rest endpoint without method", True, setter(ep, {"protocol": "rest", "url": "https://x.example/a"})),
        ("rest endpoint with method 'FETCH'", False,
         setter(ep, {"protocol": "rest", "url": "https://x.example/a", "method": "FETCH"})),
        ("coap endpoint with coaps uri", True, setter(ep, {"protocol": "coap", "uri": "coaps://x.example/a"})),
        ("coap endpoint with http uri", False, setter(ep, {"protocol": "coap", "uri": "http://x.example/a"})),
        ("amqp endpoint without exchange or queue", False,
         setter(ep, {"protocol": "amqp", "broker": "amqp://mq.example", "routingKey": "k"})),
        ("amqp endpoint with queue only", True,
         setter(ep, {"protocol": "amqp", "broker": "amqp://mq.example", "queue": "q"})),
        ("endpoint without protocol", False, setter(ep, {"broker": "mqtt://x:1883", "topic": "t"})),
        ("channel schema with arbitrary JSON", True,
         setter(["objects", 0, "channels", 0, "schema"], {"anything": [1, {"goes": None}]})),
        ("objects not an array", False, setter(["objects"], {})),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", default=str(pathlib.Path(__file__).resolve().parent.parent),
                        help="project root (default: the folder above scripts/)")
    parser.add_argument("--quiet", action="store_true", help="print only failures")
    args = parser.parse_args()
    root = pathlib.Path(args.root)
    say = (lambda *a: None) if args.quiet else print

    schema_path = root / "schemas" / "manifest.schema.json"
    if not schema_path.is_file():
        print(f"check-examples: {schema_path}: not found", file=sys.stderr)
        return 2
    schema = load_json(schema_path)
    failures = []
    try:
        Draft202012Validator.check_schema(schema)
    except Exception as error:
        print(f"FAIL schemas/manifest.schema.json is not a valid draft 2020-12 schema: {error}")
        return 1
    validator = Draft202012Validator(schema)

    all_json = sorted((root / "examples").rglob("*.json"))
    manifests = [p for p in all_json if not p.name.endswith(".td.json") and not p.name.endswith(".tests.json")]
    tds = [p for p in all_json if p.name.endswith(".td.json")]
    if not manifests:
        print("FAIL no example manifests found under examples/")
        return 1

    vocab = domain_vocabulary(root)
    if vocab is None:
        say("note: rdflib not installed; domain IRIs in the examples are not checked")

    docs = {}
    instance_ids = {}
    for path in manifests:
        rel = path.relative_to(root)
        try:
            doc = load_json(path)
        except json.JSONDecodeError as error:
            failures.append(f"{rel}: not JSON: {error}")
            continue
        docs[rel] = doc
        errors = schema_errors(validator, doc)
        for e in errors:
            failures.append(f"{rel}{where(e)}: {e.message}")
        problems = semantic_problems(doc, vocab)
        for p in problems:
            failures.append(f"{rel}{p}")
        iid = (doc.get("instance") or {}).get("id")
        if iid in instance_ids:
            failures.append(f"{rel}: instance.id {iid} also used by {instance_ids[iid]}")
        instance_ids[iid] = rel
        if not errors and not problems:
            say(f"ok   {rel}")

    for path in tds:
        rel = path.relative_to(root)
        try:
            td = load_json(path)
        except json.JSONDecodeError as error:
            failures.append(f"{rel}: not JSON: {error}")
            continue
        problems = td_problems(td)
        for p in problems:
            failures.append(f"{rel}: {p}")
        if validator.is_valid(td):
            failures.append(f"{rel}: a Thing Description must not pass as a manifest")
        if not problems:
            say(f"ok   {rel} (Thing Description)")

    # Self-test 1: unknown fields are rejected at every level.
    injected = 0
    for rel, doc in docs.items():
        if not validator.is_valid(doc):
            continue
        for path, variant in inject_everywhere(doc):
            injected += 1
            if validator.is_valid(variant):
                failures.append(f"self-test: {rel}: unknown field at {path or '/'} was accepted")
    say(f"self-test: {injected} unknown-field injections rejected" if injected else "self-test: nothing to inject")

    # Self-test 2: known-bad variants rejected, known-good variants accepted.
    base_rel = pathlib.Path("examples/weight-management/wristband.json")
    base = docs.get(base_rel)
    if base is None:
        failures.append(f"self-test: {base_rel} missing")
    else:
        cases = mutations()
        wrong = 0
        for description, expect_valid, mutate in cases:
            variant = copy.deepcopy(base)
            mutate(variant)
            if validator.is_valid(variant) != expect_valid:
                wrong += 1
                verdict = "accepted" if not expect_valid else "rejected"
                failures.append(f"self-test: variant '{description}' was {verdict}")
        say(f"self-test: {len(cases) - wrong}/{len(cases)} good/bad variants behave as expected")

    for f in failures:
        print(f"FAIL {f}")
    if failures:
        print(f"check-examples: {len(failures)} failure(s)")
        return 1
    say(f"check-examples: ok ({len(manifests)} manifests, {len(tds)} Thing Description(s))")
    return 0


if __name__ == "__main__":
    sys.exit(main())
