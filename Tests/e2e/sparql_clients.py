"""End-to-end: standard Python SPARQL clients (SPARQLWrapper, rdflib's SPARQLStore) against a
real `registryd serve` on a loopback port. Prints `sparql-clients: N passed, N failed`.

    python3 Tests/e2e/sparql_clients.py .build/debug/registryd
"""
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

checks.finish()
