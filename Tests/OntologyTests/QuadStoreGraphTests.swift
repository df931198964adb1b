import Testing
@testable import Ontology

/// Named graphs: replace, clear, drop, create, and atomicity of each.
struct QuadStoreGraphTests {
    static let ex = "http://example.org/"
    static let registration = Term.iri(ex + "registration/1")

    static func triples(_ prefix: String, _ count: Int) -> [Triple] {
        (0..<count).map { Triple(.iri(ex + prefix + "/s\($0)"), IRI(ex + "p"), .literal(Literal("\(prefix) \($0)"))) }
    }

    @Test func replaceWritesOnlyTheDifference() throws {
        try withTemporaryStore { store throws in
            let first = Self.triples("a", 10)
            #expect(try store.replace(graph: Self.registration, with: first) == GraphChange(inserted: 10, removed: 0))
            #expect(try store.replace(graph: Self.registration, with: first).isEmpty)
            let second = Array(first.prefix(6)) + Self.triples("b", 3)
            #expect(try store.replace(graph: Self.registration, with: second) == GraphChange(inserted: 3, removed: 4))
            let stored = try store.read { try $0.quads(in: .named(Self.registration)) }
            #expect(Set(stored.map(\.triple)) == Set(second))
            #expect(stored.allSatisfy { $0.graph == Self.registration })
            #expect(try store.read { try $0.quadCount() } == 9)
        }
    }

    @Test func replaceIsAtomic() throws {
        try withTemporaryStore { store throws in
            let old = Self.triples("old", 5)
            try store.replace(graph: Self.registration, with: old)
            struct Abort: Error {}
            #expect(throws: Abort.self) {
                try store.write { transaction in
                    try transaction.replace(graph: Self.registration, with: Self.triples("new", 7))
                    // The transaction sees its own change...
                    #expect(try transaction.quads(in: .named(Self.registration)).count == 7)
                    throw Abort()
                }
            }
            // ...and nothing of it survives the rollback, statistics included.
            let stored = try store.read { try $0.quads(in: .named(Self.registration)) }
            #expect(Set(stored.map(\.triple)) == Set(old))
            #expect(try store.read { try $0.quadCount() } == 5)
            // A rolled-back term is not in the cache either: storing it again works.
            try store.replace(graph: Self.registration, with: Self.triples("new", 7))
            #expect(try store.read { try $0.quads(in: .named(Self.registration)) }.count == 7)
        }
    }

    @Test func clearKeepsTheGraphAndDropRemovesIt() throws {
        try withTemporaryStore { store throws in
            let other = Term.iri(Self.ex + "registration/2")
            try store.replace(graph: Self.registration, with: Self.triples("a", 4))
            try store.replace(graph: other, with: Self.triples("b", 3))
            try store.insert(Self.triples("d", 2).map { Quad($0) })
            #expect(Set(try store.namedGraphs()) == [Self.registration, other])

            #expect(try store.clear(graph: .named(Self.registration)) == 4)
            #expect(Set(try store.namedGraphs()) == [Self.registration, other])
            #expect(try store.read { try $0.containsGraph(Self.registration) })
            #expect(try store.read { try $0.quads(in: .named(Self.registration)) }.isEmpty)

            #expect(try store.drop(graph: .named(Self.registration)))
            #expect(!(try store.drop(graph: .named(Self.registration))))
            #expect(try store.namedGraphs() == [other])
            #expect(try store.read { try $0.quads(in: .defaultGraph) }.count == 2)

            #expect(try store.drop(graph: .allNamed))
            #expect(try store.namedGraphs().isEmpty)
            #expect(try store.read { try $0.quadCount() } == 2)
            #expect(try store.clear(graph: .defaultGraph) == 2)
            #expect(try store.read { try $0.quadCount() } == 0)
        }
    }

    @Test func createGraphMakesAnEmptyGraph() throws {
        try withTemporaryStore { store throws in
            #expect(try store.write { try $0.createGraph(Self.registration) })
            #expect(!(try store.write { try $0.createGraph(Self.registration) }))
            #expect(try store.namedGraphs() == [Self.registration])
            #expect(try store.read { try $0.quadCount() } == 0)
        }
    }

    @Test func replacingCollectsTheOldBlankNodes() throws {
        try withTemporaryStore { store throws in
            let p = IRI(Self.ex + "p")
            let endpoint = Term.blankNode(BlankNode("endpoint"))
            let description = [Triple(.iri(Self.ex + "service"), p, endpoint),
                               Triple(endpoint, IRI(Self.ex + "address"), .literal(Literal("coap://x")))]
            func termCount() throws -> Int64 {
                try store.read { try $0.connection.scalar("SELECT count(*) FROM term") }
            }
            try store.replace(graph: Self.registration, with: description)
            let after = try termCount()
            for _ in 0..<5 { try store.replace(graph: Self.registration, with: description) }
            #expect(try termCount() == after)
            #expect(try store.read { try $0.quads(in: .named(Self.registration)) }.count == 2)
            try store.drop(graph: .named(Self.registration))
            #expect(try termCount() == after - 1)  // the blank node is gone; IRIs and literals stay
        }
    }

    @Test func blankNodeSurvivesLosingAndRegainingItsQuadsInOneTransaction() throws {
        try withTemporaryStore { store throws in
            let level = IRI(Self.ex + "level")
            try store.insert([Quad(.blankNode(BlankNode("battery")), level, .literal(Literal("5")))])
            let stored = try store.read { try $0.quads(predicate: level) }
            let node = try #require(stored.first?.subject)
            try store.write { transaction throws in
                try transaction.delete(stored)
                try transaction.insert([Quad(node, level, .literal(Literal("4")))], blankNodes: .store)
            }
            #expect(try store.read { try $0.quads(predicate: level) } == [Quad(node, level, .literal(Literal("4")))])
        }
    }

    @Test func defaultAndNamedGraphsStayApart() throws {
        try withTemporaryStore { store throws in
            let triple = Triple(.iri(Self.ex + "s"), IRI(Self.ex + "p"), .iri(Self.ex + "o"))
            try store.insert([Quad(triple), Quad(triple, graph: Self.registration)])
            try store.read { snapshot throws in
                #expect(try snapshot.quads(in: .defaultGraph).map(\.graph) == [nil])
                #expect(try snapshot.quads(in: .named(Self.registration)).map(\.graph) == [Self.registration])
                #expect(try snapshot.quads(in: .allNamed).count == 1)
                // The union default graph returns the triple once per graph.
                #expect(try snapshot.quads(in: .all).count == 2)
            }
            #expect(try store.delete([Quad(triple)]) == 1)
            #expect(try store.read { try $0.quads(in: .all) } == [Quad(triple, graph: Self.registration)])
        }
    }
}
