#!/usr/bin/env python3
"""Check the project's own ontologies against the registry contract.

Usage: scripts/check-ontologies.py [--root DIR] [--quiet]

Parses ontologies/microservice.rdf and ontologies/service-profile.rdf with rdflib and checks:

  * each file has an owl:Ontology header (the graph IRI of the spec) with owl:versionInfo,
    rdfs:label and rdfs:comment;
  * every term the registry contract names (classes, properties, individuals) is declared with the
    right kind (owl:Class, owl:ObjectProperty, owl:DatatypeProperty, owl:NamedIndividual + class),
    with the subclass/subproperty alignments and the domains/ranges the contract fixes, and without
    rdfs:domain where the contract says there is none;
  * every ms:/sp: IRI used as a subject has an rdfs:label and an rdfs:comment;
  * every ms:/sp: IRI used anywhere (in the ontologies or in examples/**/*.rdf) is declared.

Also checks that examples/**/*.rdf parse and that their domain device classes reach sosa:Sensor,
sosa:Actuator or ssn:System through rdfs:subClassOf.

Exit status: 0 when everything holds, 1 on any problem (each printed on its own line), 2 on usage
or environment errors (rdflib missing, file not found).
"""

import argparse
import pathlib
import sys

try:
    from rdflib import Graph, URIRef, Namespace
    from rdflib.namespace import OWL, RDF, RDFS, XSD
except ImportError:  # pragma: no cover
    print("check-ontologies: rdflib is required (pip install rdflib)", file=sys.stderr)
    sys.exit(2)

MS = Namespace("https://w3id.org/registryd/ms#")
SP = Namespace("https://w3id.org/registryd/profile#")
SOSA = Namespace("http://www.w3.org/ns/sosa/")
SSN = Namespace("http://www.w3.org/ns/ssn/")
IOTLITE = Namespace("http://purl.oclc.org/NET/UNIS/fiware/iot-lite#")
OLD_SSN = Namespace("http://purl.oclc.org/NET/ssnx/ssn#")

ONTOLOGIES = {
    "ontologies/microservice.rdf": URIRef("https://w3id.org/registryd/ms"),
    "ontologies/service-profile.rdf": URIRef("https://w3id.org/registryd/profile"),
}

# --- The contract (registry-spec.md, "Vocabulary the registry writes/reads") -------------------

CLASSES = {
    # class: required rdfs:subClassOf (or None)
    MS.Microservice: IOTLITE.Service,
    MS.ServiceInstance: None,
    MS.VirtualObject: None,
    MS.Method: SP.ServiceProfile,
    MS.EventChannel: None,
    MS.Endpoint: None,
    MS.RESTEndpoint: MS.Endpoint,
    MS.CoAPEndpoint: MS.Endpoint,
    MS.MQTTEndpoint: MS.Endpoint,
    MS.AMQPEndpoint: MS.Endpoint,
    MS.DeploymentTier: None,
    MS.HealthStatus: None,
    MS.Host: SOSA.Platform,
    MS.HostStatus: None,
    MS.Site: None,
    SP.ServiceProfile: None,
    SP.Parameter: None,
    SP.Input: SP.Parameter,
    SP.Output: SP.Parameter,
    SP.Condition: None,
    SP.Precondition: SP.Condition,
    SP.Result: SP.Condition,
    SP.ServiceLevelAgreement: None,
}

INDIVIDUALS = {
    MS.DeviceTier: MS.DeploymentTier,
    MS.EdgeTier: MS.DeploymentTier,
    MS.FogTier: MS.DeploymentTier,
    MS.CloudTier: MS.DeploymentTier,
    MS.Healthy: MS.HealthStatus,
    MS.Degraded: MS.HealthStatus,
    MS.Broken: MS.HealthStatus,
    MS.Online: MS.HostStatus,
    MS.Offline: MS.HostStatus,
}

NONE = "none"  # the contract says: no rdfs:domain / no rdfs:range

# property: (kind, domain, range); domain/range None = not fixed by the contract, NONE = must be absent
OBJECT_PROPERTIES = {
    MS.hasInstance: (MS.Microservice, MS.ServiceInstance),
    MS.instanceOf: (None, None),
    MS.hasVirtualObject: (MS.Microservice, MS.VirtualObject),
    MS.hasMethod: (MS.VirtualObject, MS.Method),
    MS.hasEventChannel: (MS.VirtualObject, MS.EventChannel),
    MS.hasEndpoint: (NONE, MS.Endpoint),
    MS.servedBy: (MS.Endpoint, MS.ServiceInstance),
    MS.deploymentTier: (NONE, MS.DeploymentTier),
    MS.runsOn: (MS.ServiceInstance, MS.Host),
    MS.healthStatus: (MS.ServiceInstance, MS.HealthStatus),
    MS.exposes: (None, NONE),
    MS.publishesProperty: (MS.EventChannel, SOSA.ObservableProperty),
    MS.hostStatus: (MS.Host, MS.HostStatus),
    SP.hasInput: (None, SP.Input),
    SP.hasOutput: (None, SP.Output),
    SP.parameterType: (None, None),
    SP.hasPrecondition: (None, SP.Precondition),
    SP.hasResult: (None, SP.Result),
    SP.hasSLA: (None, SP.ServiceLevelAgreement),
}

DATATYPE_PROPERTIES = {
    MS.name: (None, None),
    MS.version: (None, None),
    MS.site: (None, None),
    MS.registrationId: (MS.ServiceInstance, None),
    MS.protocol: (None, None),
    MS.address: (None, None),
    MS.httpMethod: (None, None),
    MS.topic: (None, None),
    MS.exchange: (None, None),
    MS.queue: (None, None),
    MS.routingKey: (None, None),
    MS.contentType: (None, None),
    MS.hostName: (None, None),
    MS.weight: (None, XSD.integer),
    MS.leaseSeconds: (None, XSD.integer),
    MS.messageSchema: (None, None),
    MS.introspectURL: (MS.Microservice, None),
    MS.architecture: (None, None),
    MS.operatingSystem: (None, None),
    MS.location: (None, None),
    SP.category: (None, None),
    SP.parameterName: (None, None),
    SP.expression: (SP.Condition, None),
    SP.maxLatencyMs: (None, XSD.decimal),
    SP.availability: (None, XSD.decimal),
    SP.maxRequestsPerSecond: (None, XSD.decimal),
}

EXTRA_AXIOMS = [
    (MS.instanceOf, OWL.inverseOf, MS.hasInstance),
    (MS.exposes, RDFS.subPropertyOf, IOTLITE.exposes),
]

DEVICE_ROOTS = {SOSA.Sensor, SOSA.Actuator, SOSA.Platform, SSN.System, OLD_SSN.Device,
                OLD_SSN.System, OLD_SSN.SensingDevice, IOTLITE.ActuatingDevice, IOTLITE.TagDevice}


def ours(term):
    return isinstance(term, URIRef) and (str(term).startswith(str(MS)) or str(term).startswith(str(SP)))


def curie(term):
    s = str(term)
    for prefix, ns in (("ms", MS), ("sp", SP), ("sosa", SOSA), ("iot-lite", IOTLITE), ("xsd", XSD),
                       ("rdfs", RDFS), ("owl", OWL)):
        if s.startswith(str(ns)):
            return f"{prefix}:{s[len(str(ns)):]}"
    return f"<{s}>"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", default=str(pathlib.Path(__file__).resolve().parent.parent),
                        help="project root (default: the folder above scripts/)")
    parser.add_argument("--quiet", action="store_true", help="print only problems")
    args = parser.parse_args()
    root = pathlib.Path(args.root)

    problems = []
    merged = Graph()
    for rel, onto_iri in ONTOLOGIES.items():
        path = root / rel
        if not path.is_file():
            print(f"check-ontologies: {rel}: file not found", file=sys.stderr)
            return 2
        g = Graph()
        try:
            g.parse(path, format="xml")
        except Exception as error:  # rdflib raises several types
            problems.append(f"{rel}: does not parse as RDF/XML: {error}")
            continue
        if (onto_iri, RDF.type, OWL.Ontology) not in g:
            problems.append(f"{rel}: no owl:Ontology header for <{onto_iri}>")
        for p in (OWL.versionInfo, RDFS.label, RDFS.comment):
            if g.value(onto_iri, p) is None:
                problems.append(f"{rel}: ontology header lacks {curie(p)}")
        for s in set(g.subjects()):
            if ours(s):
                for p in (RDFS.label, RDFS.comment):
                    if g.value(s, p) is None:
                        problems.append(f"{rel}: {curie(s)} has no {curie(p)}")
        if not args.quiet:
            print(f"{rel}: {len(g)} triples")
        merged += g

    declared = set()
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
                 OWL.NamedIndividual):
        declared |= {s for s in merged.subjects(RDF.type, kind) if ours(s)}

    def expect(triple, what):
        if triple not in merged:
            problems.append(f"{curie(triple[0])}: {what}")

    for cls, sup in CLASSES.items():
        expect((cls, RDF.type, OWL.Class), "not declared as owl:Class")
        if sup is not None:
            expect((cls, RDFS.subClassOf, sup), f"not rdfs:subClassOf {curie(sup)}")
    for ind, cls in INDIVIDUALS.items():
        expect((ind, RDF.type, OWL.NamedIndividual), "not declared as owl:NamedIndividual")
        expect((ind, RDF.type, cls), f"not typed {curie(cls)}")
    for table, kind in ((OBJECT_PROPERTIES, OWL.ObjectProperty), (DATATYPE_PROPERTIES, OWL.DatatypeProperty)):
        for prop, (domain, range_) in table.items():
            expect((prop, RDF.type, kind), f"not declared as {curie(kind)}")
            other = OWL.DatatypeProperty if kind == OWL.ObjectProperty else OWL.ObjectProperty
            if (prop, RDF.type, other) in merged:
                problems.append(f"{curie(prop)}: declared both object and datatype property")
            for axis, want in ((RDFS.domain, domain), (RDFS.range, range_)):
                have = set(merged.objects(prop, axis))
                if want == NONE and have:
                    problems.append(f"{curie(prop)}: must have no {curie(axis)} (has {', '.join(map(curie, have))})")
                elif want not in (None, NONE) and want not in have:
                    problems.append(f"{curie(prop)}: {curie(axis)} should be {curie(want)}")
    for triple in EXTRA_AXIOMS:
        expect(triple, f"missing {curie(triple[1])} {curie(triple[2])}")

    # Any ms:/sp: IRI used anywhere must be declared (catches typos in ontologies and examples).
    def check_uses(graph, where):
        for triple in graph:
            for term in triple:
                if ours(term) and term not in declared:
                    problems.append(f"{where}: {curie(term)} is used but not declared in the ontologies")

    check_uses(merged, "ontologies")

    examples = sorted((root / "examples").rglob("*.rdf")) if (root / "examples").is_dir() else []
    for path in examples:
        rel = path.relative_to(root)
        g = Graph()
        try:
            g.parse(path, format="xml")
        except Exception as error:
            problems.append(f"{rel}: does not parse as RDF/XML: {error}")
            continue
        check_uses(g, str(rel))
        # Domain ontologies: device classes must reach a SOSA/SSN/IoT-Lite device class.
        for cls in set(g.subjects(RDF.type, OWL.Class)):
            supers = set(g.transitive_objects(cls, RDFS.subClassOf)) - {cls}
            if g.value(cls, RDFS.label) is None:
                problems.append(f"{rel}: class <{cls}> has no rdfs:label")
            if "Device" in str(cls) or supers & DEVICE_ROOTS:
                if not supers & DEVICE_ROOTS:
                    problems.append(f"{rel}: device class <{cls}> is not a subclass of a SOSA/SSN device class")
        for ind in set(g.subjects(RDF.type, SOSA.ObservableProperty)):
            if g.value(ind, RDFS.label) is None:
                problems.append(f"{rel}: observable property <{ind}> has no rdfs:label")
        if not args.quiet:
            print(f"{rel}: {len(g)} triples")

    contract = set(CLASSES) | set(INDIVIDUALS) | set(OBJECT_PROPERTIES) | set(DATATYPE_PROPERTIES)
    extra = sorted(declared - contract, key=str)

    for p in problems:
        print(f"FAIL {p}")
    if problems:
        print(f"check-ontologies: {len(problems)} problem(s)")
        return 1
    if not args.quiet:
        print(f"contract terms declared: {len(contract)}/{len(contract)}")
        if extra:
            print("declared beyond the contract: " + ", ".join(curie(t) for t in extra))
        print("check-ontologies: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
