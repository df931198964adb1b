import Foundation
import Testing

/// The SPARQL Protocol, Update and Graph Store endpoints of a real daemon.
@Suite(.serialized)
struct SPARQLProtocolTests {
    static func form(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    @Test func queriesUpdatesAndNegotiation() throws {
        let daemon = try DaemonProcess()
        let insert = try daemon.request("POST", "/update", headers: ["Content-Type": "application/sparql-update"], body: """
            PREFIX sosa: <http://www.w3.org/ns/sosa/>
            INSERT DATA { <http://example.org/t1> a sosa:Sensor ; sosa:observes <http://example.org/temperature> .
                          GRAPH <http://example.org/g> { <http://example.org/t2> a sosa:Sensor } }
            """)
        #expect(insert.status == 204)

        let query = "SELECT ?s WHERE { ?s a <http://www.w3.org/ns/sosa/Sensor> } ORDER BY ?s"
        // GET with spaces sent as `+`, the way HTML forms and SPARQLWrapper encode them.
        let get = try daemon.request("GET", "/sparql?query=" + Self.form(query).replacingOccurrences(of: "%20", with: "+"))
        #expect(get.status == 200)
        #expect(get.headers["content-type"] == "application/sparql-results+json")
        #expect(get.body.contains("http://example.org/t1") && get.body.contains("http://example.org/t2"))

        let posted = try daemon.request("POST", "/sparql", headers: ["Content-Type": "application/sparql-query", "Accept": "text/csv"], body: query)
        #expect(posted.status == 200)
        #expect(posted.body == "s\r\nhttp://example.org/t1\r\nhttp://example.org/t2\r\n")

        let form = try daemon.request("POST", "/sparql", headers: ["Content-Type": "application/x-www-form-urlencoded",
                                                                    "Accept": "application/sparql-results+xml"],
                                      body: "query=" + Self.form(query))
        #expect(form.body.contains("<uri>http://example.org/t2</uri>"))

        let construct = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <http://example.org/g> { ?s ?p ?o } }"
        let turtle = try daemon.request("GET", "/sparql?query=" + Self.form(construct), headers: ["Accept": "text/turtle"])
        #expect(turtle.headers["content-type"]?.hasPrefix("text/turtle") == true)
        #expect(turtle.body.contains("<http://example.org/t2>"))
        let rdfXML = try daemon.request("GET", "/sparql?query=" + Self.form(construct), headers: ["Accept": "application/rdf+xml;q=0.9, text/turtle;q=0.5"])
        #expect(rdfXML.body.contains("rdf:Description"))
        let refused = try daemon.request("GET", "/sparql?query=" + Self.form(query), headers: ["Accept": "image/png"])
        #expect(refused.status == 406)
        try daemon.stop()
    }

    @Test func badRequestsGetJSONErrorsAndLoseNothing() throws {
        let daemon = try DaemonProcess()
        _ = try daemon.request("POST", "/update", headers: ["Content-Type": "application/sparql-update"],
                               body: "INSERT DATA { <http://a/s> <http://a/p> 1 }")
        let badQuery = try daemon.request("GET", "/sparql?query=" + Self.form("SELECT ?s WHERE {\n ?s ?p }"))
        #expect(badQuery.status == 400)
        #expect(badQuery.body.contains(#""code":"sparql.syntax""#))
        #expect(badQuery.body.contains("2:"))
        let badUpdate = try daemon.request("POST", "/update", headers: ["Content-Type": "application/sparql-update"],
                                           body: "DELETE DATA { <http://a/s> <http://a/p> 1 } ; DROP GRAPH <http://a/none>")
        #expect(badUpdate.status == 400)
        #expect(badUpdate.body.contains(#""code":"sparql.update""#))
        let wrongType = try daemon.request("POST", "/sparql", headers: ["Content-Type": "image/png"], body: "x")
        #expect(wrongType.status == 415)
        let noQuery = try daemon.request("POST", "/sparql", headers: ["Content-Type": "application/x-www-form-urlencoded"], body: "reasoning=false")
        #expect(noQuery.status == 400)
        #expect(noQuery.body.contains(#""code":"request.query""#))
        let still = try daemon.request("GET", "/sparql?query=" + Self.form("ASK { <http://a/s> <http://a/p> 1 }"))
        #expect(still.body.contains(#""boolean":true"#))
        #expect(try daemon.request("GET", "/health").status == 200)
        try daemon.stop()
    }

    @Test func graphStoreProtocolAndRestart() throws {
        let daemon = try DaemonProcess()
        let path = "/rdf-graphs?graph=" + Self.form("http://example.org/ontology")
        let created = try daemon.request("PUT", path, headers: ["Content-Type": "text/turtle"],
                                         body: "@prefix ex: <http://example.org/> . ex:A ex:subClassOf ex:B .")
        #expect(created.status == 201)
        let broken = try daemon.request("PUT", path, headers: ["Content-Type": "text/turtle"], body: "@prefix ex: <http://example.org/> .\nex:A ex:oops")
        #expect(broken.status == 400)
        #expect(broken.body.contains(#""code":"turtle.syntax""#))
        let added = try daemon.request("POST", path, headers: ["Content-Type": "application/n-triples"],
                                       body: "<http://example.org/C> <http://example.org/subClassOf> <http://example.org/B> .\n")
        #expect(added.status == 204)
        let graph = try daemon.request("GET", path, headers: ["Accept": "application/n-triples"])
        #expect(graph.status == 200)
        #expect(graph.body.split(separator: "\n").count == 2, "the bad PUT kept the graph as it was")
        try daemon.stop()

        // Everything acknowledged is there after a restart on the same data.
        let again = try DaemonProcess(dataDirectory: daemon.dataDirectory)
        let reread = try again.request("GET", path, headers: ["Accept": "application/n-triples"])
        #expect(reread.body.split(separator: "\n").count == 2)
        #expect(try again.request("DELETE", path).status == 204)
        #expect(try again.request("GET", path).status == 404)
        // Deleting it again: 404 with the JSON error body, like every other error.
        let gone = try again.request("DELETE", path)
        #expect(gone.status == 404)
        #expect(gone.body.contains("graph.not_found"))
        try again.stop()
        try? FileManager.default.removeItem(atPath: daemon.dataDirectory)
    }
}

extension SPARQLProtocolTests {
    @Test func resultSizeAndBodySizeAreBounded() throws {
        let daemon = try DaemonProcess(arguments: ["--max-results", "2", "--max-upload-mib", "1"])
        _ = try daemon.request("POST", "/update", headers: ["Content-Type": "application/sparql-update"],
                               body: "INSERT DATA { <http://a/s> <http://a/p> 1, 2, 3 }")
        let tooMany = try daemon.request("GET", "/sparql?query=" + Self.form("SELECT * WHERE { ?s ?p ?o }"))
        #expect(tooMany.status == 400)
        #expect(tooMany.body.contains(#""code":"sparql.result_limit""#))
        let limited = try daemon.request("GET", "/sparql?query=" + Self.form("SELECT * WHERE { ?s ?p ?o } LIMIT 2"))
        #expect(limited.status == 200)
        let huge = String(repeating: "# padding\n", count: 120_000)
        let tooLarge = try daemon.request("POST", "/update", headers: ["Content-Type": "application/sparql-update"], body: huge)
        #expect(tooLarge.status == 413)
        #expect(try daemon.request("GET", "/health").status == 200)
        try daemon.stop()
    }
}

extension SPARQLProtocolTests {
    @Test func reasoningIsOnByDefaultAndSwitchable() throws {
        let daemon = try DaemonProcess()
        _ = try daemon.request("POST", "/update", headers: ["Content-Type": "application/sparql-update"], body: """
            PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
            PREFIX sosa: <http://www.w3.org/ns/sosa/>
            PREFIX ex: <http://example.org/>
            INSERT DATA { GRAPH ex:ontology { ex:Thermometer rdfs:subClassOf sosa:Sensor }
                          GRAPH ex:devices { ex:t1 a ex:Thermometer } }
            """)
        let query = "ASK { <http://example.org/t1> a <http://www.w3.org/ns/sosa/Sensor> }"
        let inferred = try daemon.request("GET", "/sparql?query=" + Self.form(query))
        #expect(inferred.body.contains(#""boolean":true"#))
        let stored = try daemon.request("GET", "/sparql?reasoning=false&query=" + Self.form(query))
        #expect(stored.body.contains(#""boolean":false"#))
        // A change to the ontology is seen by the next query.
        _ = try daemon.request("POST", "/update", headers: ["Content-Type": "application/sparql-update"],
                               body: "DELETE WHERE { GRAPH ?g { <http://example.org/Thermometer> ?p ?o } }")
        let after = try daemon.request("GET", "/sparql?query=" + Self.form(query))
        #expect(after.body.contains(#""boolean":false"#))
        try daemon.stop()
    }
}
