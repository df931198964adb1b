"""End-to-end: standard Python SPARQL clients (SPARQLWrapper, rdflib's SPARQLStore) against a
real `registryd serve` on a loopback port. Prints `sparql-clients: N passed, N failed`.

    python3 Tests/e2e/sparql_clients.py .build/debug/registryd
"""
import json
import os
import sys
import urllib.parse
import urllib.request

import harness
from SPARQLWrapper import JSON, POST, SPARQLWrapper, TURTLE
import rdflib
import rdflib.compare
from rdflib.plugins.stores.sparqlstore import SPARQLStore

checks = harness.Checks("sparql-clients")
check = checks.check
daemon = harness.Daemon(sys.argv[1], prefix="registryd-clients-")


try:
    token = daemon.admin
    auth = {"Authorization": f"Bearer {token}"}
    base = daemon.base
    opener = harness.opener

    update = SPARQLWrapper(f"{base}/sparql", updateEndpoint=f"{base}/update")
    update.addCustomHttpHeader("Authorization", auth["Authorization"])
    update.setMethod(POST)
    update.setQuery("""
        PREFIX sosa: <http://www.w3.org/ns/sosa/>
        INSERT DATA { <http://example.org/t1> a sosa:Sensor ; sosa:observes <http://example.org/temperature> .
                      <http://example.org/t2> a sosa:Sensor ; sosa:observes <http://example.org/humidity> . }""")
    update.query()

    client = SPARQLWrapper(f"{base}/sparql")
    client.addCustomHttpHeader("Authorization", auth["Authorization"])
    client.setQuery("SELECT ?s ?p WHERE { ?s <http://www.w3.org/ns/sosa/observes> ?p } ORDER BY ?s")
    client.setReturnFormat(JSON)
    rows = client.query().convert()["results"]["bindings"]
    check("SPARQLWrapper SELECT (GET, JSON)", [r["s"]["value"] for r in rows] == ["http://example.org/t1", "http://example.org/t2"], rows)

    client.setMethod(POST)
    client.setQuery("ASK { <http://example.org/t1> a <http://www.w3.org/ns/sosa/Sensor> }")
    check("SPARQLWrapper ASK (POST)", client.query().convert()["boolean"] is True)

    client.setMethod("GET")
    client.setQuery('CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER(STRSTARTS(STR(?s), "http://example.org/")) }')
    client.setReturnFormat(TURTLE)
    graph = rdflib.Graph().parse(data=client.query().convert(), format="turtle")
    check("SPARQLWrapper CONSTRUCT (Turtle)", len(graph) == 4, len(graph))

    # JSON-LD, read by rdflib's own JSON-LD parser: the same graph as the Turtle answer, with a
    # language tag, a typed literal and a blank node in it.
    update.setQuery("""
        INSERT DATA { <http://jsonld.example/t1> <http://www.w3.org/2000/01/rdf-schema#label> "Thermo"@en , "Thermo" ;
                        <http://jsonld.example/reading> "21.5"^^<http://www.w3.org/2001/XMLSchema#decimal> ;
                        <http://jsonld.example/at> [ <http://jsonld.example/floor> 3 ] ;
                        a <http://jsonld.example/Thermometer> . }""")
    update.query()
    construct = 'CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER(STRSTARTS(STR(?s), "http://jsonld.example/") || isBlank(?s)) }'
    client.setQuery(construct)
    client.setReturnFormat(TURTLE)
    turtle = rdflib.Graph().parse(data=client.query().convert(), format="turtle")
    jsonld_request = urllib.request.Request(f"{base}/sparql?query=" + urllib.parse.quote(construct),
                                     headers={**auth, "Accept": "application/ld+json"})
    with opener.open(jsonld_request) as response:
        media_type = response.headers.get("Content-Type")
        jsonld = rdflib.Graph().parse(data=response.read().decode(), format="json-ld")
    check("CONSTRUCT as JSON-LD is application/ld+json", media_type == "application/ld+json", media_type)
    check("CONSTRUCT as JSON-LD is the Turtle answer's graph (rdflib)",
          len(turtle) == 6 and rdflib.compare.isomorphic(turtle, jsonld), (len(turtle), jsonld.serialize(format="nt")))
    # The service description, as rdflib reads it.
    with opener.open(urllib.request.Request(f"{base}/sparql", headers={**auth, "Accept": "text/turtle"})) as response:
        description = rdflib.Graph().parse(data=response.read().decode(), format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    check("GET /sparql without a query is its service description",
          (None, sd.endpoint, rdflib.URIRef(f"{base}/sparql")) in description
          and (None, sd.supportedLanguage, sd.SPARQL11Query) in description, description.serialize(format="turtle"))

    store = rdflib.Graph(store=SPARQLStore(f"{base}/sparql", returnFormat="json", headers=dict(auth)))
    result = list(store.query("SELECT ?s WHERE { ?s a <http://www.w3.org/ns/sosa/Sensor> } ORDER BY ?s"))
    check("rdflib SPARQLStore SELECT", [str(r[0]) for r in result] == ["http://example.org/t1", "http://example.org/t2"], result)
    check("rdflib SPARQLStore triples()", len(list(store.triples((None, rdflib.RDF.type, rdflib.URIRef("http://www.w3.org/ns/sosa/Sensor"))))) == 2)

    try:
        client.setQuery("SELECT ?s WHERE { ?s ?p }")
        client.setReturnFormat(JSON)
        client.query()
        check("malformed query is refused", False)
    except Exception as error:  # SPARQLWrapper raises QueryBadFormed for a 400
        check("malformed query is refused", "400" in str(error) or "QueryBadFormed" in type(error).__name__, error)
    try:
        anonymous = SPARQLWrapper(f"{base}/sparql")
        anonymous.setQuery("ASK { ?s ?p ?o }")
        anonymous.setReturnFormat(JSON)
        anonymous.query()
        check("a request without a token is refused", False)
    except Exception as error:
        check("a request without a token is refused", "401" in str(error) or "Unauthorized" in type(error).__name__, error)
    check("daemon still healthy", opener.open(f"{base}/health").status == 200)
finally:
    daemon.stop()

# The export: the whole dataset as N-Quads, streamed, which rdflib reads back; no result limit
# refuses it (this daemon answers at most 5 rows to a query).
exporter = harness.Daemon(sys.argv[1], prefix="registryd-export-", args=["--max-results", "5"])
try:
    manifest = json.load(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../examples/telemedicine/patient-monitor.json")))
    status, _, body = harness.call(exporter.base, "POST", "/v1/services", manifest, token=exporter.admin)
    check("export: a registration to export", status == 201, (status, body))
    request = urllib.request.Request(f"{exporter.base}/rdf-graphs", headers={"Authorization": f"Bearer {exporter.admin}",
                                                                            "Accept": "application/n-quads"})
    with harness.opener.open(request) as response:
        content_type, text = response.headers.get("Content-Type"), response.read().decode()
    dataset = rdflib.Dataset()
    dataset.parse(data=text, format="nquads")
    quads = list(dataset.quads((None, None, None, None)))
    check(f"export: GET /rdf-graphs streams every quad as N-Quads ({len(quads)}), past --max-results 5",
          content_type == "application/n-quads" and len(quads) == text.count("\n") and len(quads) > 100, (content_type, len(quads)))
    graph = f"urn:registryd:registration:{manifest['instance']['id']}"
    request = urllib.request.Request(f"{exporter.base}/rdf-graphs?graph={urllib.parse.quote(graph)}",
                                     headers={"Authorization": f"Bearer {exporter.admin}", "Accept": "application/n-triples"})
    with harness.opener.open(request) as response:
        registration = rdflib.Graph().parse(data=response.read().decode(), format="nt")
    exported = rdflib.Graph()
    for s_, p_, o_, g_ in quads:
        if str(getattr(g_, "identifier", g_)) == graph:
            exported.add((s_, p_, o_))
    check("export: a registration's graph is in it, whole", len(registration) > 0 and rdflib.compare.isomorphic(registration, exported),
          (len(registration), len(exported)))
    status, _, body = harness.call(exporter.base, "GET", "/rdf-graphs", token=exporter.admin, headers={"Accept": "text/turtle"})
    check("export: only as N-Quads (406 for Turtle)", status == 406, (status, body))
finally:
    exporter.stop()

checks.finish()
