import Testing
@testable import Ontology

/// Every combination of bound positions, against every graph selector, compared with a
/// brute-force filter over the same quads.
struct QuadStorePatternTests {
    static let ex = "http://example.org/"

    static func dataset() -> [Quad] {
        var quads: [Quad] = []
        let graphs: [Term?] = [nil, .iri(ex + "g1"), .iri(ex + "g2")]
        for i in 0..<6 {
            for j in 0..<3 {
                for k in 0..<3 {
                    let graph = graphs[(i + j + k) % 3]
                    quads.append(Quad(.iri(ex + "s\(i)"), IRI(ex + "p\(j)"), k == 2 ? .literal(Literal("\(i % 2)")) : .iri(ex + "o\(k + i % 2)"),
                                      graph: graph))
                }
            }
        }
        // The same triple in two graphs, and in the default graph.
        let shared = Triple(.iri(ex + "s0"), IRI(ex + "p0"), .iri(ex + "o0"))
        quads.append(Quad(shared, graph: .iri(ex + "g1")))
        quads.append(Quad(shared, graph: .iri(ex + "g2")))
        return Array(Set(quads))
    }

    @Test func everyShapeMatchesABruteForceFilter() throws {
        let quads = Self.dataset()
        try withTemporaryStore { store throws in
            try store.insert(quads)
            try store.read { snapshot throws in
                let encoded = try snapshot.quads(matching: EncodedQuadPattern())
                #expect(encoded.count == quads.count)
                let probe = try #require(encoded.first { $0.graph != .defaultGraph })
                let selectors: [EncodedGraphSelector] = [.all, .defaultGraph, .anyNamed, .named(probe.graph)]
                for selector in selectors {
                    for mask in 0..<8 {
                        // Probe with a quad of the selected graphs so that bound shapes match something.
                        let sample = encoded.first { Self.selects(selector, $0.graph) } ?? probe
                        let pattern = EncodedQuadPattern(
                            subject: mask & 4 != 0 ? sample.subject : nil, predicate: mask & 2 != 0 ? sample.predicate : nil,
                            object: mask & 1 != 0 ? sample.object : nil, graph: selector)
                        let expected = encoded.filter { quad in
                            (pattern.subject.map { $0 == quad.subject } ?? true)
                                && (pattern.predicate.map { $0 == quad.predicate } ?? true)
                                && (pattern.object.map { $0 == quad.object } ?? true)
                                && Self.selects(selector, quad.graph)
                        }
                        let found = try snapshot.quads(matching: pattern)
                        #expect(found.count == expected.count, "\(selector) mask \(mask)")
                        #expect(Set(found) == Set(expected), "\(selector) mask \(mask)")
                        #expect(try snapshot.count(matching: pattern) == expected.count, "\(selector) mask \(mask)")
                        var streamed: [EncodedQuad] = []
                        let cursor = try snapshot.cursor(matching: pattern)
                        while let quad = try cursor.next() { streamed.append(quad) }
                        #expect(streamed == found)
                        // Rows come in the documented index order.
                        #expect(Self.isSorted(found, by: pattern.resultOrder, selector: selector), "\(selector) mask \(mask)")
                    }
                }
            }
        }
    }

    static func selects(_ selector: EncodedGraphSelector, _ graph: TermID) -> Bool {
        switch selector {
        case .all: return true
        case .defaultGraph: return graph == .defaultGraph
        case .anyNamed: return graph != .defaultGraph
        case .named(let id): return graph == id
        }
    }

    static func isSorted(_ quads: [EncodedQuad], by order: [String], selector: EncodedGraphSelector) -> Bool {
        func key(_ quad: EncodedQuad) -> [Int64] {
            order.map { column in
                switch column {
                case "s": return quad.subject.rawValue
                case "p": return quad.predicate.rawValue
                case "o": return quad.object.rawValue
                default: return quad.graph.rawValue
                }
            }
        }
        // With `.all` the default graph's rows come first, then the named graphs'.
        let runs = selector == .all
            ? [quads.filter { $0.graph == .defaultGraph }, quads.filter { $0.graph != .defaultGraph }] : [quads]
        return runs.allSatisfy { run in zip(run, run.dropFirst()).allSatisfy { !key($1).lexicographicallyPrecedes(key($0)) } }
    }

    @Test func everyShapeIsOneIndexRange() throws {
        try withTemporaryStore { store throws in
            try store.insert(Self.dataset())
            try store.read { snapshot throws in
                for selector in [EncodedGraphSelector.all, .defaultGraph, .anyNamed, .named(TermID(rawValue: 1))] {
                    for mask in 0..<8 {
                        let id = TermID(rawValue: 1)
                        let pattern = EncodedQuadPattern(subject: mask & 4 != 0 ? id : nil, predicate: mask & 2 != 0 ? id : nil,
                                                         object: mask & 1 != 0 ? id : nil, graph: selector)
                        for sql in pattern.selectSQL {
                            let plan = try snapshot.connection.withStatement("EXPLAIN QUERY PLAN " + sql) { statement in
                                var lines: [String] = []
                                while try statement.step() { lines.append(statement.string(at: 3)) }
                                return lines.joined(separator: "; ")
                            }
                            #expect(!plan.contains("TEMP B-TREE"), "\(sql): \(plan)")
                            if mask != 0 || selector != .all && selector != .defaultGraph && selector != .anyNamed {
                                #expect(plan.contains("SEARCH"), "\(sql): \(plan)")
                            }
                        }
                    }
                }
            }
        }
    }
}
