import Foundation
import Synchronization
import Testing
import Ontology
@testable import Registry

/// Paths of the package's files, found from this file's path.
enum Paths {
    /// The package root: two levels above this file's directory (`Tests/RegistryTests/`).
    static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// `../shared` beside the package root.
    static let shared: URL = root.deletingLastPathComponent().appendingPathComponent("shared")

    static func file(_ relative: String) -> URL { root.appendingPathComponent(relative) }
    static func data(_ relative: String) throws -> Data { try Data(contentsOf: file(relative)) }
    static func bytes(_ relative: String) throws -> [UInt8] { [UInt8](try data(relative)) }

    /// Every JSON manifest under `examples/` (Thing Descriptions left out).
    static func exampleManifests() throws -> [URL] {
        let examples = file("examples")
        guard let enumerator = FileManager.default.enumerator(at: examples, includingPropertiesForKeys: nil) else { return [] }
        return enumerator.compactMap { $0 as? URL }
            .filter { $0.pathExtension == "json" && !$0.lastPathComponent.hasSuffix(".td.json") && !$0.lastPathComponent.hasSuffix(".tests.json") }
            .sorted { $0.path < $1.path }
    }
}

/// A fresh directory under the temporary directory, removed with its contents when released.
final class TemporaryDirectory: Sendable {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "registryd-registry-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// A clock the test advances by hand.
final class TestClock: Sendable {
    private let time: Mutex<Int64>

    init(_ start: Int64 = 1_750_000_000_000) {
        time = Mutex(start)
    }

    var now: Int64 { time.withLock { $0 } }

    func advance(milliseconds: Int64) {
        time.withLock { $0 += milliseconds }
    }

    /// The closure to hand to ``Registry``.
    var function: @Sendable () -> Timestamp { { [self] in Timestamp(milliseconds: self.now) } }
}

/// A registry on a real quad store in a temporary directory, with a hand-driven clock.
final class RegistryFixture {
    let directory: TemporaryDirectory
    let clock: TestClock
    let eventRetention: Int
    private(set) var store: QuadStore
    private(set) var registry: Registry

    init(eventRetention: Int = 10_000) throws {
        directory = try TemporaryDirectory()
        clock = TestClock()
        self.eventRetention = eventRetention
        store = try QuadStore(directory: directory.path + "/data")
        registry = try Registry(store: store, eventRetention: eventRetention, now: clock.function)
    }

    /// Closes the store and opens the registry again on the same files, as after a restart.
    func reopen() throws {
        store.close()
        store = try QuadStore(directory: directory.path + "/data")
        registry = try Registry(store: store, eventRetention: eventRetention, now: clock.function)
    }

    deinit {
        store.close()
    }

    /// Parses an RDF file of the package and stores its triples in `graph`.
    func load(_ relative: String, graph: String, format: RDFFormat? = nil) throws {
        try load(path: Paths.file(relative).path, graph: graph, format: format)
    }

    func load(path: String, graph: String, format: RDFFormat? = nil) throws {
        var triples: [Triple] = []
        let format = try #require(format ?? RDFFormat(fileName: path))
        try RDFParser.parse(fileAtPath: path, format: format) { triples.append($0) }
        #expect(!triples.isEmpty, "\(path) holds no triples")
        try store.write { try $0.replace(graph: .iri(graph), with: triples) }
    }

    /// The number of triples in a named graph.
    func tripleCount(graph iri: String) throws -> Int {
        try store.read { try $0.quads(in: .named(.iri(iri))) }.count
    }

    /// Whether the store has the named graph.
    func hasGraph(_ iri: String) throws -> Bool {
        try store.read { try $0.containsGraph(.iri(iri)) }
    }

    /// Runs a SPARQL SELECT over the store (the union of all graphs), with or without RDFS
    /// reasoning, as the registry does for class filters.
    func select(_ query: String, reasoning: Bool = true) throws -> [[Term?]] {
        let parsed = try SPARQLParser().parseQuery(SPARQLPrefixes.all + query)
        let result = try store.read { snapshot in
            let dataset = StoreDataset(snapshot)
            return try QueryEvaluator(dataset: dataset, reasoning: reasoning, schema: reasoning ? RDFSSchema(reading: dataset) : nil)
                .evaluate(parsed)
        }
        guard case .solutions(_, let rows) = result else {
            Issue.record("not a SELECT result")
            return []
        }
        return rows
    }

    /// The first column of a SELECT, as strings (IRIs and literals by their text), sorted.
    func column(_ query: String, reasoning: Bool = true) throws -> [String] {
        try select(query, reasoning: reasoning).compactMap { row -> String? in
            guard let term = row.first ?? nil else { return nil }
            if let iri = term.iri { return iri.value }
            if let literal = term.literal { return literal.lexicalForm }
            return term.description
        }.sorted()
    }

    func ask(_ query: String, reasoning: Bool = true) throws -> Bool {
        let parsed = try SPARQLParser().parseQuery(SPARQLPrefixes.all + query)
        let result = try store.read { snapshot in
            try QueryEvaluator(dataset: StoreDataset(snapshot), reasoning: reasoning).evaluate(parsed)
        }
        guard case .boolean(let value) = result else {
            Issue.record("not an ASK result")
            return false
        }
        return value
    }
}

enum SPARQLPrefixes {
    static let all = """
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX owl: <http://www.w3.org/2002/07/owl#>
        PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
        PREFIX sosa: <http://www.w3.org/ns/sosa/>
        PREFIX ssn: <http://www.w3.org/ns/ssn/>
        PREFIX iot-lite: <http://purl.oclc.org/NET/UNIS/fiware/iot-lite#>
        PREFIX ms: <https://w3id.org/registryd/ms#>
        PREFIX sp: <https://w3id.org/registryd/profile#>
        PREFIX wm: <http://example.org/weight-management#>

        """
}

/// Manifests for tests, written as JSON and read with ``ManifestDecoder`` like a client's.
enum Manifests {
    /// A manifest from JSON text.
    static func decode(_ json: String) throws -> Manifest {
        try ManifestDecoder.decode(Data(json.utf8))
    }

    /// An example manifest of the package.
    static func example(_ relative: String) throws -> Manifest {
        try ManifestDecoder.decode(Paths.data(relative))
    }

    /// A service `name` with one object `<name>/obj` offering the method `get` on `endpoint`
    /// and, when `channel` is given, a channel `events` on that endpoint.
    static func service(_ name: String, version: String = "1.0.0", id: String, tier: String = "cloud",
                        health: String = "ok", weight: Int = 100, ttl: String? = nil, host: String? = nil,
                        endpoint: String = #"{"protocol": "rest", "url": "http://10.0.0.1/get"}"#,
                        channel: String? = nil) throws -> Manifest {
        var instance = #""id": "\#(id)", "tier": "\#(tier)", "health": "\#(health)", "weight": \#(weight)"#
        if let ttl { instance += #", "ttl": "\#(ttl)""# }
        if let host { instance += #", "host": "\#(host)""# }
        let channels = channel.map { #", "channels": [{"name": "events", "endpoints": [\#($0)]}]"# } ?? ""
        return try decode("""
            {"name": "\(name)", "version": "\(version)",
             "instance": {\(instance)},
             "objects": [{"name": "\(name)/obj",
                          "methods": [{"name": "get", "endpoints": [\(endpoint)]}]\(channels)}]}
            """)
    }
}

extension ServiceName {
    /// A name known to be valid in a test.
    static func test(_ text: String) -> ServiceName {
        // Force-try: the tests only pass valid literals here.
        try! ServiceName(text)
    }
}
