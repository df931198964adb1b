import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JSON
import Ontology
import Testing
@testable import registryd

/// The Graph Store Protocol and the SPARQL endpoints' service descriptions, base IRIs and
/// charsets, in-process (the router test client addresses `localhost`). The W3C suites run
/// against the real daemon in the conformance runner.
struct GraphStoreProtocolTests {
    typealias API = InProcessAPITests

    static func triples(_ response: TestResponse) throws -> [Triple] {
        var triples: [Triple] = []
        try RDFParser.parse(String(buffer: response.body), format: .turtle) { triples.append($0) }
        return triples
    }

    @Test func aPostToTheStoreCreatesAGraphNamedInLocation() async throws {
        try await API.withAPI { client, admin in
            let created = try await client.execute(uri: "/rdf-graphs", method: .post, headers: API.headers(admin, contentType: "text/turtle"),
                                                   body: ByteBuffer(string: "<#it> <http://example.org/p> 1 ."))
            #expect(created.status == .created)
            let location = try #require(created.headers[.location])
            #expect(location.hasPrefix("http://localhost/rdf-graphs/") && location.count == "http://localhost/rdf-graphs/".count + 32)
            // Readable by its own URL (direct identification) and by ?graph= (indirect).
            let path = String(location.dropFirst("http://localhost".count))
            let direct = try await client.execute(uri: path, method: .get, headers: admin)
            #expect(direct.status == .ok)
            #expect(try Self.triples(direct) == [Triple(.iri(location + "#it"), IRI("http://example.org/p"),
                                                       .literal(Literal("1", datatype: XSD.integer)))])
            let indirect = try await client.execute(uri: "/rdf-graphs?graph=" + location, method: .get, headers: admin)
            #expect(try Self.triples(indirect) == Self.triples(direct))
            // A second POST makes another graph.
            let second = try await client.execute(uri: "/rdf-graphs", method: .post, headers: API.headers(admin, contentType: "text/turtle"),
                                                  body: ByteBuffer(string: "<#it> <http://example.org/p> 2 ."))
            #expect(second.headers[.location] != location)
        }
    }

    @Test func aGraphNamedByItsURLIsThatIRI() async throws {
        try await API.withAPI { client, admin in
            let put = try await client.execute(uri: "/rdf-graphs/person/1.ttl", method: .put, headers: API.headers(admin, contentType: "text/turtle"),
                                               body: ByteBuffer(string: "<#me> a <http://xmlns.com/foaf/0.1/Person> ."))
            #expect(put.status == .created)
            let ask = try await client.execute(
                uri: "/sparql?query=" + "ASK { GRAPH <http://localhost/rdf-graphs/person/1.ttl> { <http://localhost/rdf-graphs/person/1.ttl#me> a ?c } }"
                    .addingPercentEncoding(withAllowedCharacters: .alphanumerics)!,
                method: .get, headers: admin)
            #expect(String(buffer: ask.body).contains(#""boolean":true"#))
            let both = try await client.execute(uri: "/rdf-graphs/person/1.ttl?graph=http://example.org/g", method: .get, headers: admin)
            #expect(both.status == .badRequest)
            let delete = try await client.execute(uri: "/rdf-graphs/person/1.ttl", method: .delete, headers: admin)
            #expect(delete.status == .noContent)
            let gone = try await client.execute(uri: "/rdf-graphs/person/1.ttl", method: .head, headers: admin)
            #expect(gone.status == .notFound)
        }
    }

    static func multipart(_ parts: [(type: String, body: String)], boundary: String = "b0undary") -> String {
        parts.map { "--\(boundary)\r\nContent-Disposition: form-data; name=\"part\"; filename=\"part\"\r\nContent-Type: \($0.type)\r\n\r\n\($0.body)\r\n" }
            .joined() + "--\(boundary)--\r\n"
    }

    /// Each part is its own document: the same blank node label in two parts is two nodes.
    @Test func aMultipartPostAddsEveryPartAndKeepsTheirBlankNodesApart() async throws {
        try await API.withAPI { client, admin in
            let body = Self.multipart([("text/turtle", "_:a <http://example.org/p> 1 ."),
                                       ("application/n-triples", "_:a <http://example.org/p> \"2\" .")])
            let post = try await client.execute(uri: "/rdf-graphs?graph=http://example.org/g", method: .post,
                                                headers: API.headers(admin, contentType: "multipart/form-data; boundary=b0undary"),
                                                body: ByteBuffer(string: body))
            #expect(post.status == .created)
            let get = try await client.execute(uri: "/rdf-graphs?graph=http://example.org/g", method: .get, headers: admin)
            let triples = try Self.triples(get)
            #expect(triples.count == 2)
            #expect(Set(triples.map(\.subject)).count == 2)
        }
    }

    @Test func aBadMultipartBodyChangesNothing() async throws {
        try await API.withAPI { client, admin in
            let bad: [(String, String)] = [
                ("multipart/form-data; boundary=b0undary", Self.multipart([("text/turtle", "<http://a/s> <http://a/p> 1 ."), ("image/png", "x")])),
                ("multipart/form-data; boundary=b0undary", Self.multipart([("text/turtle", "<http://a/s> <http://a/p> 1 ."), ("text/turtle", "<broken")])),
                ("multipart/form-data", Self.multipart([("text/turtle", "<http://a/s> <http://a/p> 1 .")])),
                ("multipart/form-data; boundary=", "--\r\n"),
                ("multipart/form-data; boundary=b0undary", "no parts at all"),
            ]
            for (type, body) in bad {
                let post = try await client.execute(uri: "/rdf-graphs?graph=http://example.org/g", method: .post,
                                                    headers: API.headers(admin, contentType: type), body: ByteBuffer(string: body))
                #expect((400..<500).contains(post.status.code), "\(type): \(post.status)")
                #expect(try API.errorCode(post) != nil)
            }
            let get = try await client.execute(uri: "/rdf-graphs?graph=http://example.org/g", method: .get, headers: admin)
            #expect(get.status == .notFound)
            // PUT replaces with one document: multipart is for POST (Graph Store §5.5).
            let put = try await client.execute(uri: "/rdf-graphs?graph=http://example.org/g", method: .put,
                                               headers: API.headers(admin, contentType: "multipart/form-data; boundary=b0undary"),
                                               body: ByteBuffer(string: Self.multipart([("text/turtle", "<http://a/s> <http://a/p> 1 .")])))
            #expect(put.status == .unsupportedMediaType)
        }
    }

    @Test func theDefaultGraphIsCreatedWhenItWasEmpty() async throws {
        try await API.withAPI { client, admin in
            let headers = API.headers(admin, contentType: "application/n-triples")
            let first = try await client.execute(uri: "/rdf-graphs?default", method: .put, headers: headers,
                                                 body: ByteBuffer(string: "<http://a/s> <http://a/p> <http://a/o> .\n"))
            #expect(first.status == .created)
            let second = try await client.execute(uri: "/rdf-graphs?default", method: .put, headers: headers,
                                                  body: ByteBuffer(string: "<http://a/s> <http://a/p> <http://a/o2> .\n"))
            #expect(second.status == .noContent)
        }
    }

    @Test(arguments: ["/sparql", "/update"])
    func aGetWithoutARequestIsTheServiceDescription(_ path: String) async throws {
        try await API.withAPI { client, admin in
            var headers = admin
            headers[.accept] = "text/turtle"
            let response = try await client.execute(uri: path, method: .get, headers: headers)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/turtle; charset=utf-8")
            let triples = try Self.triples(response)
            let sd = "http://www.w3.org/ns/sparql-service-description#"
            let service = try #require(triples.first { $0.predicate == IRI(sd + "endpoint") })
            #expect(service.object == .iri("http://localhost" + path))
            let language = path == "/sparql" ? "SPARQL11Query" : "SPARQL11Update"
            #expect(triples.contains(Triple(service.subject, IRI(sd + "supportedLanguage"), .iri(sd + language))))
            #expect(triples.contains(Triple(service.subject, IRI(sd + "defaultEntailmentRegime"), .iri("http://www.w3.org/ns/entailment/RDFS"))))
            if path == "/sparql" {
                // Every result format the endpoint negotiates is listed, and only those.
                let formats = Set(triples.filter { $0.predicate == IRI(sd + "resultFormat") }.compactMap(\.object.iri?.value))
                #expect(formats == Set(["SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                                        "Turtle", "N-Triples", "RDF_XML", "JSON-LD"].map { "http://www.w3.org/ns/formats/" + $0 }))
            }
            headers[.accept] = "application/rdf+xml"
            let xml = try await client.execute(uri: path, method: .get, headers: headers)
            var parsed: [Triple] = []
            try RDFParser.parse(String(buffer: xml.body), format: .rdfXML) { parsed.append($0) }
            #expect(GraphIsomorphism.areIsomorphic(parsed, triples))
        }
    }

    @Test func anUpdateSentWithGetIsRefused() async throws {
        try await API.withAPI { client, admin in
            let response = try await client.execute(uri: "/update?update=CLEAR%20ALL", method: .get, headers: admin)
            #expect(response.status == .badRequest)
            #expect(try API.errorCode(response) == "request.update_method")
        }
    }

    /// SPARQL 1.1 Protocol §2.1.4, §2.2.2: the service supplies a base; registryd's is the endpoint URL.
    @Test func relativeIRIsResolveAgainstTheEndpoint() async throws {
        try await API.withAPI { client, admin in
            let update = try await client.execute(uri: "/update", method: .post, headers: API.headers(admin, contentType: "application/sparql-update"),
                                                  body: ByteBuffer(string: "INSERT DATA { GRAPH <http://example.org/g> { <s> <p> <o> } }"))
            #expect(update.status == .noContent)
            var headers = API.headers(admin, contentType: "application/sparql-query")
            headers[.accept] = "application/n-triples"
            let construct = try await client.execute(uri: "/sparql", method: .post, headers: headers,
                                                     body: ByteBuffer(string: "CONSTRUCT { ?s ?p <x> } WHERE { GRAPH <http://example.org/g> { ?s ?p ?o } }"))
            #expect(String(buffer: construct.body) == "<http://localhost/s> <http://localhost/p> <http://localhost/x> .\n")
            // A BASE in the request wins.
            let based = try await client.execute(uri: "/sparql", method: .post, headers: headers,
                                                 body: ByteBuffer(string: "BASE <http://b.example/> CONSTRUCT { <s> <p> 1 } WHERE {}"))
            #expect(String(buffer: based.body).hasPrefix("<http://b.example/s> <http://b.example/p> "))
        }
    }

    @Test(arguments: ["UTF-16", "iso-8859-1", "\"latin1\""])
    func aBodyInAnotherCharsetIsRefused(_ charset: String) async throws {
        try await API.withAPI { client, admin in
            for (path, type, body) in [("/sparql", "application/sparql-query", "ASK {}"), ("/update", "application/sparql-update", "CLEAR ALL"),
                                       ("/rdf-graphs?default", "text/turtle", "<http://a/s> <http://a/p> 1 .")] {
                let response = try await client.execute(uri: path, method: .post, headers: API.headers(admin, contentType: "\(type); charset=\(charset)"),
                                                        body: ByteBuffer(string: body))
                #expect(response.status == .unsupportedMediaType, "\(path)")
                #expect(try API.errorCode(response) == "request.charset")
            }
            let utf8 = try await client.execute(uri: "/sparql", method: .post, headers: API.headers(admin, contentType: "application/sparql-query; charset=UTF-8"),
                                                body: ByteBuffer(string: "ASK {}"))
            #expect(utf8.status == .ok)
        }
    }

    @Test func constructAnswersJSONLD() async throws {
        try await API.withAPI { client, admin in
            _ = try await client.execute(uri: "/rdf-graphs?graph=http://example.org/g", method: .put, headers: API.headers(admin, contentType: "text/turtle"),
                                         body: ByteBuffer(string: #"<http://a/s> a <http://a/C> ; <http://a/label> "x"@en, "y" ; <http://a/n> 2 ; <http://a/to> [ <http://a/p> <http://a/o> ] ."#))
            var headers = admin
            headers[.accept] = "application/ld+json"
            let response = try await client.execute(uri: "/rdf-graphs?graph=http://example.org/g", method: .get, headers: headers)
            #expect(response.headers[.contentType] == "application/ld+json")
            let document = try JSONValue.parse(Array(buffer: response.body))
            guard case .array(let nodes) = document else { Issue.record("not an array: \(document)"); return }
            let subject = try #require(nodes.first { $0["@id"]?.stringValue == "http://a/s" })
            #expect(subject["@type"] == .array([.string("http://a/C")]))
            #expect(subject["http://a/label"] == .array([.object(["@value": .string("x"), "@language": .string("en")]),
                                                          .object(["@value": .string("y")])]))
            #expect(subject["http://a/n"] == .array([.object(["@value": .string("2"), "@type": .string(XSD.integer.value)])]))
            guard case .array(let objects)? = subject["http://a/to"], let blank = objects.first?["@id"]?.stringValue else {
                Issue.record("no blank node object: \(subject)")
                return
            }
            #expect(blank.hasPrefix("_:"))
            #expect(nodes.first { $0["@id"]?.stringValue == blank }?["http://a/p"] == .array([.object(["@id": .string("http://a/o")])]))
        }
    }

    /// A `Host` that is not a host name is not taken into IRIs.
    @Test(arguments: ["evil> <x", "a b", "", "example.org/path"])
    func aHostThatIsNotAHostNameIsNotUsed(_ host: String) {
        let request = Request(head: HTTPRequest(method: .get, scheme: nil, authority: host, path: "/sparql"), body: .init(buffer: ByteBuffer()))
        var settings = ServerSettings()
        settings.port = 8470
        #expect(request.serverURL(path: "/sparql", settings: settings) == "http://127.0.0.1:8470/sparql")
    }

    /// The union default graph is a set: a triple four graphs state is answered once (and
    /// counted once), while GRAPH still sees it in each.
    @Test func aTripleInSeveralGraphsIsOneTripleOfTheDefaultGraph() async throws {
        try await API.withAPI { client, admin in
            for graph in 1...4 {
                _ = try await client.execute(uri: "/rdf-graphs?graph=http://example.org/g\(graph)", method: .put,
                                             headers: API.headers(admin, contentType: "text/turtle"),
                                             body: ByteBuffer(string: #"<http://a/s> <http://www.w3.org/2000/01/rdf-schema#label> "Lamp" ; <http://a/in> <http://a/room\#(graph)> ."#))
            }
            func rows(_ query: String) async throws -> [JSONValue] {
                let response = try await client.execute(uri: "/sparql?reasoning=false&query=" + query.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!,
                                                        method: .get, headers: admin)
                guard case .array(let rows)? = try API.json(response)["results"]?["bindings"] else { return [] }
                return rows
            }
            #expect(try await rows("SELECT ?l WHERE { <http://a/s> <http://www.w3.org/2000/01/rdf-schema#label> ?l }").count == 1)
            // Two patterns: the store's own join.
            #expect(try await rows("SELECT ?s ?l WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l . ?s <http://a/in> <http://a/room2> }").count == 1)
            #expect(try await rows("SELECT ?r WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l . ?s <http://a/in> ?r }").count == 4)
            let count = try await rows("SELECT (COUNT(*) AS ?n) WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l }")
            #expect(count.first?["n"]?["value"]?.stringValue == "1")
            #expect(try await rows("SELECT ?g WHERE { GRAPH ?g { <http://a/s> <http://www.w3.org/2000/01/rdf-schema#label> ?l } }").count == 4)
        }
    }
}
