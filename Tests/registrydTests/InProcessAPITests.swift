import AccessService
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JOSE
import JSON
import Ontology
import Prometheus
import Registry
import Testing
@testable import registryd

/// Route semantics, tested in-process on the daemon's own router (`buildRouter`) with
/// HummingbirdTesting: a real store, registry, token store and access service in a temporary
/// directory, no process and no port. What needs a process (signals, `kill -9`, TLS, nginx)
/// stays in the end-to-end tests that spawn the binary.
struct InProcessAPITests {
    /// Runs `body` against a router over a fresh data directory, with an admin token.
    static func withAPI(_ settings: ServerSettings = ServerSettings(),
                        _ body: @Sendable (any TestClientProtocol, HTTPFields) async throws -> Void) async throws {
        let directory = NSTemporaryDirectory() + "registryd-inprocess-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try QuadStore(directory: directory + "/data")
        defer { store.close() }
        let registry = try Registry(store: store)
        let tokens = try await TokenStore(journal: registry)
        let (_, secret) = try await tokens.create(scopes: [.admin], description: "test")
        let access = try await AccessService(registry: registry, journal: registry, store: store,
                                             keys: try KeyRing(directory: directory + "/keys"))
        let services = Services(store: store, registry: registry, tokens: tokens, access: access, metrics: PrometheusCollectorRegistry())
        let app = Application(router: buildRouter(services, settings: settings))
        var headers = HTTPFields()
        headers[.authorization] = "Bearer " + secret
        let admin = headers
        try await app.test(.router) { client in try await body(client, admin) }
    }

    static func json(_ response: TestResponse) throws -> JSONValue {
        try JSONValue.parse(Array(buffer: response.body))
    }

    static func errorCode(_ response: TestResponse) throws -> String? {
        try json(response)["error"]?["code"]?.stringValue
    }

    static func headers(_ base: HTTPFields, contentType: String) -> HTTPFields {
        var headers = base
        headers[.contentType] = contentType
        return headers
    }

    @Test func aDecisionBodyWithAnUnknownMemberIsRefusedByName() async throws {
        try await Self.withAPI { client, admin in
            let body = #"{"subject":{"id":"alice"},"api":"demo.example/A/op","action":"call","explian":true}"#
            let response = try await client.execute(uri: "/v1/decisions", method: .post, headers: Self.headers(admin, contentType: "application/json"),
                                                    body: ByteBuffer(string: body))
            #expect(response.status == .badRequest)
            #expect(try Self.errorCode(response) == "request.malformed_json")
            #expect(try Self.json(response)["error"]?["message"]?.stringValue?.contains("explian") == true)
        }
    }

    /// RFC 8259 leaves duplicate names undefined; every body goes through the one parser, which refuses them.
    @Test(arguments: ["/v1/hosts", "/v1/decisions", "/v1/tokens"])
    func aMemberGivenTwiceIsRefused(_ path: String) async throws {
        try await Self.withAPI { client, admin in
            let response = try await client.execute(uri: path, method: .post, headers: Self.headers(admin, contentType: "application/json"),
                                                    body: ByteBuffer(string: #"{"id":"h1","id":"h2"}"#))
            #expect(response.status == .badRequest)
            #expect(try Self.errorCode(response) == "request.malformed_json")
        }
    }

    /// A registration in RDF/XML is read by the same media-type table as the Graph Store.
    @Test(arguments: ["application/rdf+xml", "application/xml", "text/xml", "application/rdf+xml; charset=utf-8"])
    func rdfXMLRegistersUnderEveryRDFXMLMediaType(_ type: String) async throws {
        let rdf = try RegistryFixtures.file("examples/rdfxml/thermostat.rdf")
        try await Self.withAPI { client, admin in
            let registered = try await client.execute(uri: "/v1/services", method: .post, headers: Self.headers(admin, contentType: type),
                                                      body: ByteBuffer(string: rdf))
            #expect(registered.status == .created, "\(type): \(String(buffer: registered.body))")
            let graph = try await client.execute(uri: "/rdf-graphs?graph=urn:test:g", method: .put, headers: Self.headers(admin, contentType: type),
                                                 body: ByteBuffer(string: rdf))
            #expect(graph.status == .created || graph.status == .noContent, "\(type): \(String(buffer: graph.body))")
        }
    }

    @Test(arguments: ["json", "application", "/json", "application/json;;"])
    func aContentTypeThatIsNotAMediaTypeIs415(_ type: String) async throws {
        try await Self.withAPI { client, admin in
            let response = try await client.execute(uri: "/v1/policies/p", method: .put, headers: Self.headers(admin, contentType: type),
                                                    body: ByteBuffer(string: "open: permit call on \"demo.example/**\";"))
            #expect(response.status == .unsupportedMediaType, "\(type)")
            #expect(try Self.errorCode(response) == "request.media_type")
        }
    }

    /// `?host=` and `?id=` follow the manifest's id rule: `.` and `..` are not ids.
    @Test(arguments: ["host=..", "host=.", "id=..", "host=a%2Fb"])
    func queryIdsFollowTheManifestRule(_ query: String) async throws {
        let td = try RegistryFixtures.file("examples/td/air-quality.td.json")
        try await Self.withAPI { client, admin in
            let response = try await client.execute(uri: "/v1/services?" + query, method: .post,
                                                    headers: Self.headers(admin, contentType: "application/td+json"), body: ByteBuffer(string: td))
            #expect(response.status == .badRequest, "\(query): \(String(buffer: response.body))")
            #expect(try Self.errorCode(response) == "registry.invalid_request")
        }
    }

    @Test(arguments: ["default-graph-uri=not%20an%20iri", "named-graph-uri=relative/path", "default-graph-uri=urn:a%7Cb"])
    func protocolGraphParametersMustBeAbsoluteIRIs(_ parameter: String) async throws {
        try await Self.withAPI { client, admin in
            let response = try await client.execute(uri: "/sparql?query=ASK%7B%7D&" + parameter, method: .get, headers: admin)
            #expect(response.status == .badRequest, "\(parameter)")
            #expect(try Self.errorCode(response) == "request.graph")
        }
    }

    @Test func bodyLimitsComeFromTheSettings() async throws {
        var settings = ServerSettings()
        settings.bodies.control = 128
        try await Self.withAPI(settings) { client, admin in
            let host = #"{"id":"h1","location":""# + String(repeating: "x", count: 200) + #""}"#
            let response = try await client.execute(uri: "/v1/hosts", method: .post, headers: Self.headers(admin, contentType: "application/json"),
                                                    body: ByteBuffer(string: host))
            #expect(response.status == .contentTooLarge)
            #expect(try Self.errorCode(response) == "request.too_large")
            let small = try await client.execute(uri: "/v1/hosts", method: .post, headers: Self.headers(admin, contentType: "application/json"),
                                                 body: ByteBuffer(string: #"{"id":"h1"}"#))
            #expect(small.status == .created)
        }
    }

    /// Every time the API writes is RFC 3339 UTC with milliseconds, whichever part wrote it.
    @Test func timestampsHaveOneFormat() async throws {
        try await Self.withAPI { client, admin in
            let host = try await client.execute(uri: "/v1/hosts", method: .post, headers: Self.headers(admin, contentType: "application/json"),
                                                body: ByteBuffer(string: #"{"id":"h1","ttl":"30s"}"#))
            let token = try await client.execute(uri: "/v1/tokens", method: .post, headers: Self.headers(admin, contentType: "application/json"),
                                                 body: ByteBuffer(string: #"{"scopes":["query"]}"#))
            let policy = try await client.execute(uri: "/v1/policies/open", method: .put, headers: Self.headers(admin, contentType: "text/plain"),
                                                  body: ByteBuffer(string: "open: permit call on \"demo.example/**\";"))
            #expect(policy.status == .ok, "\(String(buffer: policy.body))")
            let decision = try await client.execute(uri: "/v1/decisions", method: .post, headers: Self.headers(admin, contentType: "application/json"),
                                                    body: ByteBuffer(string: #"{"subject":{"id":"alice"},"api":"demo.example/A/op","action":"call"}"#))
            #expect(try Self.json(decision)["decision"]?.stringValue == "permit", "\(String(buffer: decision.body))")
            var stamps: [String] = []
            func collect(_ value: JSONValue, _ key: String = "") {
                switch value {
                case .object(let members): for (name, member) in members where name != "claims" { collect(member, name) }
                case .array(let items): items.forEach { collect($0, key) }
                case .string(let text) where ["created", "expires", "lastSeen", "issued"].contains(key): stamps.append(text)
                default: break
                }
            }
            for response in [host, token, decision] { collect(try Self.json(response)) }
            #expect(stamps.count >= 3, "\(stamps)")
            for stamp in stamps {
                let matches = stamp.wholeMatch(of: #/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/#) != nil
                #expect(matches, "\(stamp)")
            }
        }
    }

    /// The API and the gateway adapter answer errors with the same body: `error.code` and `error.message`, nothing else.
    @Test func errorBodiesHaveOneShape() async throws {
        try await Self.withAPI { client, admin in
            let api = try await client.execute(uri: "/v1/services/none", method: .get, headers: admin)
            var gatewayHeaders = admin
            gatewayHeaders[HTTPField.Name("X-Original-URI")!] = "/demo.example/A/op"
            let gateway = try await client.execute(uri: "/v1/gateway/authorize", method: .get, headers: gatewayHeaders)
            for response in [api, gateway] {
                guard case .object(let root) = try Self.json(response), case .object(let error)? = root["error"] else {
                    Issue.record("not an error body: \(String(buffer: response.body))")
                    continue
                }
                #expect(Set(root.keys) == ["error"])
                #expect(Set(error.keys) == ["code", "message"])
                #expect(response.headers[.contentType] == "application/json; charset=utf-8")
            }
            #expect(api.status == .notFound)
            #expect(gateway.status.code >= 400)
        }
    }

    /// RFC 7517 §4: a JWK member the reader does not understand is ignored, not refused, so key
    /// sets written by other libraries (with `key_ops`, `x5t`, ...) are taken as they are.
    @Test func authorityKeySetsKeepUnknownJWKMembersOut() async throws {
        let key = try SigningKey.generate(.edDSA)
        guard case .object(var jwk) = try JSONValue.parse(try CompactJSONEncoder.bytes(key.publicKey.jwk)) else {
            Issue.record("a JWK is an object")
            return
        }
        jwk["key_ops"] = ["verify"]
        jwk["x5t"] = "bm90IGEgdGh1bWJwcmludA"
        let body = JSONValue.object(["keys": .array([.object(jwk)])]).jsonText
        try await Self.withAPI { client, admin in
            let response = try await client.execute(uri: "/v1/authorities/hospital.example", method: .put,
                                                    headers: Self.headers(admin, contentType: "application/json"), body: ByteBuffer(string: body))
            #expect(response.status == .ok, "\(String(buffer: response.body))")
            // A member the request bodies of registryd itself do not declare is still refused.
            let subject = try await client.execute(uri: "/v1/subjects/alice", method: .put, headers: Self.headers(admin, contentType: "application/json"),
                                                   body: ByteBuffer(string: #"{"attributes":{"rank":"Nurse"},"atributes":{}}"#))
            #expect(subject.status == .badRequest)
        }
    }

    /// RFC 9110 §9.3.2: HEAD is answered wherever GET is, with the GET's status and headers and no body.
    @Test(arguments: ["/health", "/v1/services", "/rdf-graphs?default", "/.well-known/jwks.json", "/v1/services/none"])
    func headAnswersAsGetWithoutABody(_ path: String) async throws {
        try await Self.withAPI { client, admin in
            let get = try await client.execute(uri: path, method: .get, headers: admin)
            let head = try await client.execute(uri: path, method: .head, headers: admin)
            #expect(head.status == get.status, "\(path)")
            #expect(head.body.readableBytes == 0, "\(path)")
            #expect(head.headers[.contentType] == get.headers[.contentType], "\(path)")
            #expect(head.headers[.contentLength] == String(get.body.readableBytes), "\(path)")
        }
    }

    /// A path served only under other methods still answers 405 to HEAD, with `Allow`.
    @Test func headOnAWriteOnlyRouteIs405() async throws {
        try await Self.withAPI { client, admin in
            let response = try await client.execute(uri: "/v1/decisions", method: .head, headers: admin)
            #expect(response.status == .methodNotAllowed)
            #expect(response.headers[.allow]?.contains("POST") == true)
            #expect(response.headers[.allow]?.contains("HEAD") == false)
        }
    }

    /// SPARQL 1.1 Protocol §2.2.3: `using-graph-uri` is the dataset of an update's WHERE, and
    /// conflicts with USING or WITH in the update itself.
    @Test func updatesTakeTheirDatasetFromUsingParameters() async throws {
        try await Self.withAPI { client, admin in
            let form = Self.headers(admin, contentType: "application/x-www-form-urlencoded")
            func update(_ text: String, _ extra: String = "") async throws -> TestResponse {
                let body = "update=" + RegistryFixtures.form(text) + extra
                return try await client.execute(uri: "/update", method: .post, headers: form, body: ByteBuffer(string: body))
            }
            let seed = try await update("INSERT DATA { GRAPH <urn:g1> { <urn:a> <urn:p> 1 } GRAPH <urn:g3> { <urn:b> <urn:p> 2 } }")
            #expect(seed.status == .noContent, "\(String(buffer: seed.body))")
            let marked = try await update("INSERT { GRAPH <urn:out> { ?s <urn:seen> true } } WHERE { ?s <urn:p> ?o }",
                                          "&using-graph-uri=" + RegistryFixtures.form("urn:g1"))
            #expect(marked.status == .noContent, "\(String(buffer: marked.body))")
            let query = "SELECT ?s WHERE { GRAPH <urn:out> { ?s <urn:seen> true } }"
            let seen = try await client.execute(uri: "/sparql?query=" + RegistryFixtures.form(query), method: .get,
                                                headers: Self.headers(admin, contentType: "application/sparql-query"))
            var subjects: [String] = []
            if case .array(let rows)? = try Self.json(seen)["results"]?["bindings"] {
                subjects = rows.compactMap { $0["s"]?["value"]?.stringValue }
            }
            #expect(subjects == ["urn:a"], "\(String(buffer: seen.body))")
            let conflict = try await update("WITH <urn:g3> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "&using-graph-uri=" + RegistryFixtures.form("urn:g1"))
            #expect(conflict.status == .badRequest)
            #expect(try Self.errorCode(conflict) == "request.dataset_conflict")
            let named = try await update("DELETE { ?s ?p ?o } USING <urn:g1> WHERE { ?s ?p ?o }", "&using-named-graph-uri=" + RegistryFixtures.form("urn:g3"))
            #expect(try Self.errorCode(named) == "request.dataset_conflict")
        }
    }
}
