import Foundation
import Testing
@testable import Ontology

/// Basic graph patterns joined inside SQLite (``QuadStore/Snapshot/join(_:variables:in:)``) give
/// exactly what the pattern-by-pattern evaluation gives: random data and random queries, answered
/// by the store and by the in-memory dataset, compared as multisets.
struct StoreJoinTests {
    static let ex = "http://example.org/"

    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func randomTriples(_ generator: inout Generator, count: Int) -> [Triple] {
        var triples = Set<Triple>()
        while triples.count < count {
            let subject = Term.iri(ex + "n\(Int.random(in: 0..<8, using: &generator))")
            let predicate = IRI(ex + "p\(Int.random(in: 0..<3, using: &generator))")
            let object: Term = Bool.random(using: &generator)
                ? .iri(ex + "n\(Int.random(in: 0..<8, using: &generator))")
                : .literal(Literal(String(Int.random(in: 0..<4, using: &generator)), datatype: XSD.integer))
            triples.insert(Triple(subject, predicate, object))
        }
        return Array(triples)
    }

    static func randomQuery(_ generator: inout Generator) -> String {
        let variables = ["?a", "?b", "?c", "?d"]
        func position(_ allowLiteral: Bool) -> String {
            switch Int.random(in: 0..<10, using: &generator) {
            case 0...5: return variables[Int.random(in: 0..<variables.count, using: &generator)]
            case 6...7: return "<\(ex)n\(Int.random(in: 0..<8, using: &generator))>"
            default: return allowLiteral ? "\(Int.random(in: 0..<4, using: &generator))" : "<\(ex)n1>"
            }
        }
        func predicate() -> String {
            Int.random(in: 0..<6, using: &generator) == 0 ? "?p" : "<\(ex)p\(Int.random(in: 0..<3, using: &generator))>"
        }
        func bgp() -> String {
            (0..<Int.random(in: 2...3, using: &generator)).map { _ in "\(position(false)) \(predicate()) \(position(true)) ." }
                .joined(separator: " ")
        }
        // A path with a fixed end after a triple pattern: the store may run the path first
        // (`runsRightFirst`), the in-memory dataset, which gives no estimates, never does.
        func path() -> String {
            func step() -> String { "<\(ex)p\(Int.random(in: 0..<3, using: &generator))>" }
            let closure = ["+", "*", "?"][Int.random(in: 0..<3, using: &generator)]
            let shapes = ["\(step())/\(step())\(closure)", "\(step())\(closure)", "^\(step())/\(step())",
                          "(\(step())|\(step()))\(closure)"]
            let end = "<\(ex)n\(Int.random(in: 0..<8, using: &generator))>"
            let shape = shapes[Int.random(in: 0..<shapes.count, using: &generator)]
            return Bool.random(using: &generator) ? "?b \(shape) \(end) ." : "\(end) \(shape) ?b ."
        }
        switch Int.random(in: 0..<6, using: &generator) {
        case 0: return "SELECT * WHERE { \(bgp()) OPTIONAL { \(bgp()) } }"
        case 1: return "SELECT * WHERE { \(bgp()) FILTER EXISTS { \(bgp()) } }"
        case 2: return "SELECT * WHERE { ?a \(predicate()) ?b . \(path()) }"
        default: return "SELECT * WHERE { \(bgp()) }"
        }
    }

    static func rows(_ result: QueryResult) -> [String] {
        guard case .solutions(let variables, let rows) = result else { return [] }
        return rows.map { row in
            zip(variables, row).compactMap { variable, term in term.map { "\(variable)=\($0)" } }.sorted().joined(separator: " ")
        }.sorted()
    }

    enum Layout: CaseIterable { case defaultGraph, namedGraphs, both }

    @Test(arguments: Layout.allCases)
    func joinsInTheStoreMatchPatternByPattern(layout: Layout) throws {
        var generator = Generator(state: 42 + UInt64(Layout.allCases.firstIndex(of: layout)!))
        let directory = NSTemporaryDirectory() + "registryd-join-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try QuadStore(directory: directory)
        defer { store.close() }
        var memory = MemoryDataset()
        let triples = Self.randomTriples(&generator, count: 60)
        try store.write { transaction in
            for (index, triple) in triples.enumerated() {
                let graph: Term?
                switch layout {
                case .defaultGraph: graph = nil
                case .namedGraphs: graph = .iri(Self.ex + "g\(index % 2)")
                case .both: graph = index % 3 == 0 ? nil : .iri(Self.ex + "g\(index % 2)")
                }
                _ = try transaction.insert([Quad(triple, graph: graph)])
                memory.insert(triple)
            }
        }
        var compared = 0
        var nonEmpty = 0
        for _ in 0..<150 {
            let text = Self.randomQuery(&generator)
            let query = try SPARQLParser().parseQuery(text)
            let expected = Self.rows(try QueryEvaluator(dataset: memory).evaluate(query))
            let actual = try store.read { snapshot in Self.rows(try QueryEvaluator(dataset: StoreDataset(snapshot)).evaluate(query)) }
            #expect(actual == expected, "\(text)")
            compared += 1
            if !expected.isEmpty { nonEmpty += 1 }
        }
        #expect(compared == 150)
        #expect(nonEmpty > 30, "the random queries must mostly find something to compare")
    }

    @Test func joinRunsInOneStatementOnlyWhenOneQuadTableIsUsed() throws {
        let directory = NSTemporaryDirectory() + "registryd-join-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try QuadStore(directory: directory)
        defer { store.close() }
        let pattern = { (snapshot: QuadStore.Snapshot) throws -> [[TermID]]? in
            guard let p = try snapshot.id(for: .iri(Self.ex + "p")) else { return [] }
            return try snapshot.join([JoinPattern(.variable(0), .constant(p), .variable(1)),
                                      JoinPattern(.variable(1), .constant(p), .variable(2))],
                                     variables: [0, 2], in: .union)
        }
        let p = IRI(Self.ex + "p")
        try store.insert([Quad(.iri(Self.ex + "a"), p, .iri(Self.ex + "b")), Quad(.iri(Self.ex + "b"), p, .iri(Self.ex + "c"))])
        #expect(try store.read { try pattern($0)?.count } == 1)
        try store.insert([Quad(.iri(Self.ex + "c"), p, .iri(Self.ex + "d"), graph: .iri(Self.ex + "g"))])
        #expect(try store.read { try pattern($0) } == nil, "both tables hold quads: the evaluator joins instead")
    }
}
