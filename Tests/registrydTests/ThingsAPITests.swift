import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JSON
import Ontology
import Testing
@testable import registryd

/// `/things`, the WoT Thing Description Directory API, in-process with the real TD 1.1 JSON
/// Schema; the corpus of real TDs from other WoT projects is in `Tests/wot/` (ORIGINS.tsv).
struct ThingsAPITests {
    typealias API = InProcessAPITests

    static let schema: JSONSchema = {
        let text = (try? RegistryFixtures.file("schemas/td-json-schema-validation.json")) ?? "{}"
        return (try? JSONSchema(JSONValue.parse(Array(text.utf8)))) ?? (try! JSONSchema(.bool(true)))
    }()

    static var settings: ServerSettings {
        var settings = ServerSettings()
        settings.thingSchema = schema
        return settings
    }

    static func corpus(_ directory: String) throws -> [(name: String, text: String)] {
        let url = RegistryFixtures.root.appendingPathComponent("Tests/wot/" + directory)
        return try FileManager.default.contentsOfDirectory(atPath: url.path).sorted().map { name in
            (name, try String(contentsOf: url.appendingPathComponent(name), encoding: .utf8))
        }
    }

    static let lamp = #"""
        {"@context": "https://www.w3.org/2022/wot/td/v1.1", "title": "MyLampThing", "@type": "saref:LightSwitch",
         "securityDefinitions": {"basic_sc": {"scheme": "basic", "in": "header"}}, "security": "basic_sc",
         "properties": {"status": {"type": "string", "forms": [{"href": "https://lamp.example/status"}]}},
         "actions": {"toggle": {"forms": [{"href": "https://lamp.example/toggle"}]}},
         "events": {"overheating": {"data": {"type": "string"}, "forms": [{"href": "https://lamp.example/oh", "subprotocol": "longpoll"}]}}}
        """#

    static func td(_ headers: HTTPFields, _ type: String = "application/td+json") -> HTTPFields {
        API.headers(headers, contentType: type)
    }

    @Test func createRetrieveUpdatePatchDelete() async throws {
        try await API.withAPI(Self.settings) { client, admin in
            let withID = Self.lamp.replacingOccurrences(of: #""title""#, with: #""id": "urn:dev:ops:32473-WoTLamp-1234", "title""#)
            let put = try await client.execute(uri: "/things/urn:dev:ops:32473-WoTLamp-1234", method: .put, headers: Self.td(admin),
                                               body: ByteBuffer(string: withID))
            #expect(put.status == .created, "\(String(buffer: put.body))")
            let get = try await client.execute(uri: "/things/urn:dev:ops:32473-WoTLamp-1234", method: .get, headers: admin)
            #expect(get.status == .ok)
            #expect(get.headers[.contentType] == "application/td+json")
            #expect(String(buffer: get.body) == withID)  // the TD as it was sent, byte for byte
            let again = try await client.execute(uri: "/things/urn:dev:ops:32473-WoTLamp-1234", method: .put, headers: Self.td(admin),
                                                 body: ByteBuffer(string: withID))
            #expect(again.status == .noContent)
            let patch = try await client.execute(uri: "/things/urn:dev:ops:32473-WoTLamp-1234", method: .patch,
                                                 headers: Self.td(admin, "application/merge-patch+json"),
                                                 body: ByteBuffer(string: #"{"title": "Lamp 2", "actions": null}"#))
            #expect(patch.status == .noContent, "\(String(buffer: patch.body))")
            let patched = try JSONValue.parse(Array(buffer: try await client.execute(uri: "/things/urn:dev:ops:32473-WoTLamp-1234",
                                                                                    method: .get, headers: admin).body))
            #expect(patched["title"]?.stringValue == "Lamp 2")
            #expect(patched["actions"] == nil)
            #expect(patched["properties"]?["status"] != nil)
            // A patch that breaks the schema is refused and changes nothing.
            let broken = try await client.execute(uri: "/things/urn:dev:ops:32473-WoTLamp-1234", method: .patch,
                                                  headers: Self.td(admin, "application/merge-patch+json"),
                                                  body: ByteBuffer(string: #"{"title": 7}"#))
            #expect(broken.status == .badRequest)
            #expect(broken.headers[.contentType] == "application/problem+json")
            let delete = try await client.execute(uri: "/things/urn:dev:ops:32473-WoTLamp-1234", method: .delete, headers: admin)
            #expect(delete.status == .noContent)
            let gone = try await client.execute(uri: "/things/urn:dev:ops:32473-WoTLamp-1234", method: .get, headers: admin)
            #expect(gone.status == .notFound)
            #expect(gone.headers[.contentType] == "application/problem+json")
            #expect(try JSONValue.parse(Array(buffer: gone.body))["status"] == .number(404))
        }
    }

    /// A TD registered through `/v1/services` is the same Thing in the directory: found by its
    /// id, and replaced in place by a PUT, keeping its instance settings.
    @Test func aTDRegisteredAsAServiceIsInTheDirectory() async throws {
        try await API.withAPI(Self.settings) { client, admin in
            let text = Self.lamp.replacingOccurrences(of: #""title""#, with: #""id": "urn:dev:lamp-9", "title""#)
            let registered = try await client.execute(uri: "/v1/services?tier=edge", method: .post, headers: Self.td(admin), body: ByteBuffer(string: text))
            #expect(registered.status == .created)
            let id = try #require(try API.json(registered)["id"]?.stringValue)
            let get = try await client.execute(uri: "/things/urn:dev:lamp-9", method: .get, headers: admin)
            #expect(get.status == .ok)
            #expect(String(buffer: get.body) == text)
            let put = try await client.execute(uri: "/things/urn:dev:lamp-9", method: .put, headers: Self.td(admin),
                                               body: ByteBuffer(string: text.replacingOccurrences(of: "MyLampThing", with: "MyLampThing2")))
            #expect(put.status == .noContent)
            let service = try API.json(try await client.execute(uri: "/v1/services/" + id, method: .get, headers: admin))
            #expect(service["manifest"]?["label"]?.stringValue == "MyLampThing2", "\(service)")
            #expect(service["tier"]?.stringValue == "edge", "\(service)")
            let list = try await client.execute(uri: "/things", method: .get, headers: admin)
            guard case .array(let items) = try JSONValue.parse(Array(buffer: list.body)) else { Issue.record("not an array"); return }
            #expect(items.count == 1)
        }
    }

    @Test func anAnonymousTDGetsAnID() async throws {
        try await API.withAPI(Self.settings) { client, admin in
            let post = try await client.execute(uri: "/things", method: .post, headers: Self.td(admin), body: ByteBuffer(string: Self.lamp))
            #expect(post.status == .created, "\(String(buffer: post.body))")
            let location = try #require(post.headers[.location])
            #expect(location.hasPrefix("/things/urn:uuid:"))
            let get = try await client.execute(uri: location, method: .get, headers: admin)
            let text = String(buffer: get.body)
            let id = String(location.dropFirst("/things/".count))
            // The minted id first, then the TD exactly as sent.
            #expect(text == "{\"id\":\"\(id)\"," + Self.lamp.drop { $0 != "{" }.dropFirst())
            // With an id, POST is refused: that is PUT's.
            let withID = try await client.execute(uri: "/things", method: .post, headers: Self.td(admin), body: ByteBuffer(string: text))
            #expect(withID.status == .badRequest)
        }
    }

    @Test func anInvalidTDIsRefusedWithProblemDetails() async throws {
        try await API.withAPI(Self.settings) { client, admin in
            let invalid = #"{"@context": "https://www.w3.org/2022/wot/td/v1.1", "title": 5, "security": "nosec_sc"}"#
            let response = try await client.execute(uri: "/things/urn:x:1", method: .put, headers: Self.td(admin), body: ByteBuffer(string: invalid))
            #expect(response.status == .badRequest)
            #expect(response.headers[.contentType] == "application/problem+json")
            let problem = try JSONValue.parse(Array(buffer: response.body))
            #expect(problem["status"] == .number(400))
            #expect(problem["title"]?.stringValue == "Bad Request")
            guard case .array(let errors)? = problem["validationErrors"] else { Issue.record("no validationErrors: \(problem)"); return }
            let fields = Set(errors.compactMap { $0["field"]?.stringValue })
            #expect(fields.contains("(root).title"))
            #expect(fields.contains("(root).securityDefinitions"))
            let syntax = try await client.execute(uri: "/things/urn:x:1", method: .put, headers: Self.td(admin), body: ByteBuffer(string: "{"))
            #expect(syntax.status == .badRequest)
            #expect(syntax.headers[.contentType] == "application/problem+json")
            let mismatch = try await client.execute(uri: "/things/urn:x:2", method: .put, headers: Self.td(admin),
                                                    body: ByteBuffer(string: Self.lamp.replacingOccurrences(of: #""title""#, with: #""id": "urn:x:3", "title""#)))
            #expect(mismatch.status == .badRequest)
            let list = try await client.execute(uri: "/things", method: .get, headers: admin)
            #expect(String(buffer: list.body) == "[]\n")
        }
    }

    @Test func listingPagesWithLinkNext() async throws {
        try await API.withAPI(Self.settings) { client, admin in
            for index in 0..<5 {
                let td = Self.lamp.replacingOccurrences(of: #""title""#, with: #""id": "urn:lamp:\#(index)", "title""#)
                _ = try await client.execute(uri: "/things/urn:lamp:\(index)", method: .put, headers: Self.td(admin), body: ByteBuffer(string: td))
            }
            var ids: [String] = []
            var next: String? = "/things?limit=2"
            while let uri = next {
                let page = try await client.execute(uri: uri, method: .get, headers: admin)
                #expect(page.headers[.contentType] == "application/ld+json")
                guard case .array(let items) = try JSONValue.parse(Array(buffer: page.body)) else { Issue.record("not an array"); return }
                #expect(items.count <= 2)
                ids += items.compactMap { $0["id"]?.stringValue }
                next = page.headers[HTTPField.Name("Link")!].flatMap { link in
                    link.hasSuffix("rel=\"next\"") ? String(link.dropFirst().prefix { $0 != ">" }) : nil
                }
            }
            #expect(ids == (0..<5).map { "urn:lamp:\($0)" })
        }
    }

    /// The corpus: every schema-valid TD of other WoT projects is stored, given back as sent,
    /// listed and found by SPARQL in the TD ontology; every TD of the schema's negative test set
    /// is refused with problem details.
    @Test func theCorpusOfRealThingDescriptions() async throws {
        let valid = try Self.corpus("things")
        let invalid = try Self.corpus("invalid")
        #expect(valid.count >= 50)
        try await API.withAPI(Self.settings) { client, admin in
            var stored: [String: String] = [:]
            var refused: [String] = []
            for (name, text) in valid {
                let json = try JSONValue.parse(Array(text.utf8))
                let response: TestResponse
                if let id = json["id"]?.stringValue {
                    let path = "/things/" + (id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? id)
                    response = try await client.execute(uri: path, method: .put, headers: Self.td(admin), body: ByteBuffer(string: text))
                    // Several examples share an id: the later one replaces the earlier (204).
                    if response.status == .created || response.status == .noContent { stored[path] = text }
                } else {
                    response = try await client.execute(uri: "/things", method: .post, headers: Self.td(admin), body: ByteBuffer(string: text))
                    if response.status == .created, let location = response.headers[.location] { stored[location] = "" }  // the minted id was added
                }
                if response.status != .created && response.status != .noContent { refused.append("\(name): \(response.status.code) \(String(buffer: response.body).prefix(300))") }
            }
            #expect(refused.isEmpty, "\(refused.count) of \(valid.count) refused:\n\(refused.joined(separator: "\n"))")
            for (path, text) in stored where !text.isEmpty {
                let get = try await client.execute(uri: path, method: .get, headers: admin)
                #expect(String(buffer: get.body) == text, "\(path)")
            }
            let list = try await client.execute(uri: "/things?limit=1000", method: .get, headers: admin)
            guard case .array(let listed) = try JSONValue.parse(Array(buffer: list.body)) else { Issue.record("not an array"); return }
            #expect(listed.count == stored.count)
            // Found as other directories find TDs: td:Thing with td:title, in the TD ontology.
            let query = "PREFIX td: <https://www.w3.org/2019/wot/td#> SELECT (COUNT(DISTINCT ?t) AS ?n) WHERE { ?t a td:Thing ; td:title ?title }"
            let count = try await client.execute(uri: "/sparql?query=" + query.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!,
                                                 method: .get, headers: admin)
            let answer = try JSONValue.parse(Array(buffer: count.body))
            guard case .array(let rows)? = answer["results"]?["bindings"] else { Issue.record("no rows: \(answer)"); return }
            #expect(rows.first?["n"]?["value"]?.stringValue == String(stored.count))

            var accepted: [String] = []
            for (index, (name, text)) in invalid.enumerated() {
                let response = try await client.execute(uri: "/things/urn:invalid:\(index)", method: .put, headers: Self.td(admin),
                                                        body: ByteBuffer(string: text))
                if response.status != .badRequest || response.headers[.contentType] != "application/problem+json" {
                    accepted.append("\(name): \(response.status.code)")
                }
            }
            #expect(accepted.isEmpty, "accepted: \(accepted)")
        }
    }

    /// The schema validator agrees with Python's `jsonschema` (which sorted the corpus) on
    /// every file: valid TDs pass, the invalid ones fail.
    @Test func theValidatorAgreesWithTheCorpusVerdicts() throws {
        for (name, text) in try Self.corpus("things") {
            let failures = Self.schema.validate(try JSONValue.parse(Array(text.utf8)))
            #expect(failures.isEmpty, "\(name): \(failures.prefix(3))")
        }
        for directory in ["invalid", "invalid-real"] {
            for (name, text) in try Self.corpus(directory) {
                guard let json = try? JSONValue.parse(Array(text.utf8)) else { continue }
                #expect(!Self.schema.validate(json).isEmpty, "\(directory)/\(name) passes")
            }
        }
    }
}
