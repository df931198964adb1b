import Foundation
import Synchronization
import Testing
@testable import Ontology

/// Graphs kept in memory beside the stored quads (``MemoryGraphs``): seen by every snapshot as
/// part of the store, changed atomically at COMMIT, isolated like SQLite snapshots, and closed
/// to the generic quad writes.
struct QuadStoreMemoryGraphTests {
    static let ex = "http://example.org/"
    static let graph = IRI("urn:registryd:registration:one")
    static let other = IRI("urn:registryd:registration:two")

    static func triples(_ prefix: String, _ count: Int) -> [Triple] {
        (0..<count).map { Triple(.iri(ex + prefix + "/s\($0)"), IRI(ex + "p"), .literal(Literal("\(prefix) \($0)"))) }
    }

    static func select(_ text: String, in store: QuadStore) throws -> [[Term?]] {
        let query = try SPARQLParser().parseQuery(text)
        let result = try store.read { snapshot in try QueryEvaluator(dataset: StoreDataset(snapshot)).evaluate(query) }
        guard case .solutions(_, let rows) = result else { return [] }
        return rows
    }

    @Test func snapshotsAndSPARQLSeeMemoryGraphsBesideStoredOnes() throws {
        try withTemporaryStore { store throws in
            try store.insert([Quad(.iri(Self.ex + "stored"), IRI(Self.ex + "p"), .literal(Literal("kept")), graph: .iri(Self.ex + "g"))])
            try store.write { try $0.replaceInMemory(graph: Self.graph, with: Self.triples("a", 3)) }
            try store.read { snapshot throws in
                #expect(try snapshot.quads(in: .named(.iri(Self.graph))).count == 3)
                #expect(try snapshot.quads(predicate: IRI(Self.ex + "p"), in: .all).count == 4)
                #expect(try snapshot.quads(in: .defaultGraph).isEmpty)
                #expect(try snapshot.containsGraph(.iri(Self.graph)))
                #expect(Set(try snapshot.namedGraphs()) == [.iri(Self.ex + "g"), .iri(Self.graph)])
                #expect(try snapshot.quadCount() == 4)
            }
            // The default graph of a query is the union; GRAPH names the memory graph.
            #expect(try Self.select("SELECT ?o WHERE { ?s <\(Self.ex)p> ?o }", in: store).count == 4)
            let named = try Self.select("SELECT ?g ?o WHERE { GRAPH ?g { <\(Self.ex)a/s1> ?p ?o } }", in: store)
            #expect(named.count == 1 && named.first?.first == .iri(Self.graph))
            // A join across a stored and an in-memory triple.
            try store.write { try $0.replaceInMemory(graph: Self.other, with: [Triple(.iri(Self.ex + "a/s0"), IRI(Self.ex + "q"), .iri(Self.ex + "stored"))]) }
            let joined = try Self.select("SELECT ?o WHERE { ?x <\(Self.ex)q> ?y . ?y <\(Self.ex)p> ?o . ?x <\(Self.ex)p> ?z }", in: store)
            #expect(joined.count == 1 && joined.first?.first == .literal(Literal("kept")))
        }
    }

    @Test func replaceAndDropChangeTheGraphWhole() throws {
        try withTemporaryStore { store throws in
            try store.write { try $0.replaceInMemory(graph: Self.graph, with: Self.triples("a", 5)) }
            try store.write { try $0.replaceInMemory(graph: Self.graph, with: Self.triples("b", 2) + Self.triples("b", 2)) }
            let after = try store.read { try $0.quads(in: .named(.iri(Self.graph))) }
            #expect(Set(after.map(\.triple)) == Set(Self.triples("b", 2)) && after.count == 2)
            try store.write { try $0.dropInMemory(graph: Self.graph) }
            try store.read { snapshot throws in
                #expect(try snapshot.quads(in: .all).isEmpty)
                #expect(try !snapshot.containsGraph(.iri(Self.graph)))
                #expect(try snapshot.namedGraphs().isEmpty)
            }
        }
    }

    @Test func aSnapshotKeepsTheVersionItStartedWith() throws {
        try withTemporaryStore { store throws in
            try store.write { try $0.replaceInMemory(graph: Self.graph, with: Self.triples("old", 4)) }
            try store.read { snapshot throws in
                // Changes committed while the snapshot is open stay invisible to it.
                try store.write { transaction in
                    try transaction.replaceInMemory(graph: Self.graph, with: Self.triples("new", 1))
                    try transaction.replaceInMemory(graph: Self.other, with: Self.triples("other", 1))
                }
                #expect(Set(try snapshot.quads(in: .allNamed).map(\.triple)) == Set(Self.triples("old", 4)))
                #expect(try !snapshot.containsGraph(.iri(Self.other)))
            }
            #expect(try store.read { try $0.quads(in: .allNamed).count } == 2)
        }
    }

    @Test func aFailedWriteChangesNothingInMemory() async throws {
        let directory = try TemporaryDirectory()
        let store = try QuadStore(directory: directory.path + "/data")
        defer { store.close() }
        struct Refused: Error {}
        #expect(throws: Refused.self) {
            try store.write { transaction in
                try transaction.replaceInMemory(graph: Self.graph, with: Self.triples("a", 3))
                throw Refused()
            }
        }
        #expect(try await store.read { try $0.quads(in: .all).isEmpty })
        // In a group, only the write that throws is rolled back.
        async let kept: Void = store.groupedWrite { try $0.replaceInMemory(graph: Self.graph, with: Self.triples("kept", 2)) }
        async let refused: Void = store.groupedWrite { transaction in
            try transaction.replaceInMemory(graph: Self.other, with: Self.triples("refused", 2))
            throw Refused()
        }
        let outcomes: (Result<Void, any Error>, Result<Void, any Error>)
        do {
            let refusedOutcome: Result<Void, any Error>
            do { try await refused; refusedOutcome = .success(()) } catch { refusedOutcome = .failure(error) }
            let keptOutcome: Result<Void, any Error>
            do { try await kept; keptOutcome = .success(()) } catch { keptOutcome = .failure(error) }
            outcomes = (keptOutcome, refusedOutcome)
        }
        #expect((try? outcomes.0.get()) != nil)
        #expect(throws: Refused.self) { try outcomes.1.get() }
        let graphs = try await store.read { try $0.namedGraphs() }
        #expect(graphs == [.iri(Self.graph)])
    }

    @Test func genericWritesToAMemoryGraphAreRefused() throws {
        try withTemporaryStore { store throws in
            try store.write { try $0.replaceInMemory(graph: Self.graph, with: Self.triples("a", 2)) }
            let quad = Quad(.iri(Self.ex + "x"), IRI(Self.ex + "p"), .literal(Literal("y")), graph: .iri(Self.graph))
            for attempt in [
                { _ = try store.insert([quad]) },
                { _ = try store.delete([quad]) },
                { _ = try store.replace(graph: .iri(Self.graph), with: []) },
                { _ = try store.drop(graph: .named(.iri(Self.graph))) },
                { _ = try store.clear(graph: .named(.iri(Self.graph))) },
            ] as [() throws -> Void] {
                #expect { try attempt() } throws: { ($0 as? OntologyError)?.code == .storeReadOnlyGraph }
            }
            #expect(try store.read { try $0.quads(in: .named(.iri(Self.graph))).count } == 2)
        }
    }

    @Test func blankNodesAreLocalToEachGraph() throws {
        try withTemporaryStore { store throws in
            let shape = [Triple(.blankNode(BlankNode("n")), IRI(Self.ex + "p"), .literal(Literal("v")))]
            try store.write { transaction in
                try transaction.replaceInMemory(graph: Self.graph, with: shape)
                try transaction.replaceInMemory(graph: Self.other, with: shape)
            }
            let subjects = try store.read { try $0.quads(in: .allNamed).map(\.subject) }
            #expect(subjects.count == 2 && Set(subjects).count == 2)
            // Not a stored node's label: asking the stored quads for it finds nothing and fails nothing.
            #expect(try store.read { try $0.quads(subject: subjects[0], in: .all).count } == 1)
        }
    }

    @Test func compactionKeepsWhatOpenViewsSee() {
        let graphs = MemoryGraphs(compactionThreshold: 10)
        func replace(_ prefix: String, _ count: Int) {
            graphs.apply([.replace(graphs.prepare(graph: Self.graph, triples: Self.triples(prefix, count)))])
        }
        replace("v1", 20)
        let old = graphs.openView()
        for round in 2...5 { replace("v\(round)", 20) }
        // The old view pins every version since: nothing it can see is dropped.
        #expect(graphs.quads(subject: nil, predicate: nil, object: nil, graph: nil, in: old).map(\.triple) == Self.triples("v1", 20))
        #expect(graphs.counts.dead == 80)
        graphs.close(old)
        replace("v6", 20)
        #expect(graphs.counts.live == 20 && graphs.counts.dead == 0)
        let now = graphs.openView()
        #expect(Set(graphs.quads(subject: nil, predicate: nil, object: nil, graph: Self.graph, in: now).map(\.triple)) == Set(Self.triples("v6", 20)))
        #expect(graphs.quads(subject: .iri(Self.ex + "v6/s3"), predicate: nil, object: nil, graph: nil, in: now).count == 1)
        graphs.close(now)
    }

    @Test func buildsRunWhenReadAndSupersededOnesNever() throws {
        let builds = Atomic<Int>(0)
        func counted(_ prefix: String) -> @Sendable () -> [Triple] {
            { builds.add(1, ordering: .relaxed); return Self.triples(prefix, 3) }
        }
        try withTemporaryStore { store throws in
            try store.write { try $0.replaceInMemory(graph: Self.graph, building: counted("a")) }
            try store.write { try $0.replaceInMemory(graph: Self.graph, building: counted("b")) }
            // Committed, not yet built: a commit costs an append.
            #expect(builds.load(ordering: .relaxed) == 0 && store.memoryGraphs.pendingCommitCount == 2)
            // The first read builds the newest graph only: no view could see "a".
            let objects = try store.read { try $0.quads(in: .named(.iri(Self.graph))).map(\.object) }
            #expect(Set(objects) == Set(Self.triples("b", 3).map(\.object)))
            #expect(builds.load(ordering: .relaxed) == 1 && store.memoryGraphs.pendingCommitCount == 0)

            // A snapshot open between two commits keeps what it saw, so that build runs too.
            try store.write { try $0.replaceInMemory(graph: Self.graph, building: counted("c")) }
            try store.read { before throws in
                try store.write { try $0.replaceInMemory(graph: Self.graph, building: counted("d")) }
                #expect(try store.read { try $0.quads(in: .named(.iri(Self.graph))).map(\.object) }.contains(.literal(Literal("d 0"))))
                #expect(try before.quads(in: .named(.iri(Self.graph))).map(\.object).contains(.literal(Literal("c 0"))))
            }
            #expect(builds.load(ordering: .relaxed) == 3)
        }
    }

    @Test func pendingCommitsAreIndexedWhenWritesPause() throws {
        try withTemporaryStore { store throws in
            try store.write { try $0.replaceInMemory(graph: Self.graph, with: Self.triples("a", 4)) }
            // Writes going on, no budget: nothing is indexed.
            #expect(store.memoryGraphs.indexPending(quietFor: .seconds(60), budget: .zero, quietBudget: .seconds(60)) == 0)
            #expect(store.memoryGraphs.pendingCommitCount == 1)
            Thread.sleep(forTimeInterval: 0.05)
            // Quiet: everything is.
            #expect(store.memoryGraphs.indexPending(quietFor: .milliseconds(20), budget: .zero, quietBudget: .seconds(60)) == 1)
            #expect(store.memoryGraphs.pendingCommitCount == 0 && store.memoryGraphs.counts.live == 4)
            // Writes going on, with a budget: small batches until it runs out or nothing is left.
            for index in 0..<200 {
                try store.write { try $0.replaceInMemory(graph: IRI("urn:registryd:registration:b\(index)"), with: Self.triples("b\(index)", 2)) }
            }
            #expect(store.memoryGraphs.indexPending(quietFor: .seconds(60), budget: .seconds(60), quietBudget: .zero) == 200)
            #expect(store.memoryGraphs.pendingCommitCount == 0 && store.memoryGraphs.pendingChangeCount == 0)
        }
    }

    @Test func manyPendingGraphsAreBuiltTogetherAndReadWhole() throws {
        try withTemporaryStore { store throws in
            // More than one batch, and enough builds in each to run on every core.
            let count = MemoryGraphs.batchSize + 500
            for chunk in stride(from: 0, to: count, by: 250) {
                try store.write { transaction in
                    for index in chunk..<min(chunk + 250, count) {
                        try transaction.replaceInMemory(graph: IRI("urn:registryd:registration:g\(index)"), building: {
                            [Triple(.iri(Self.ex + "s\(index)"), IRI(Self.ex + "p"), .literal(Literal("\(index)")))]
                        })
                    }
                }
            }
            let rows = try Self.select("SELECT ?o WHERE { ?s <\(Self.ex)p> ?o }", in: store)
            #expect(rows.count == count)
            #expect(Set(rows.compactMap { $0.first??.literal?.lexicalForm }) == Set((0..<count).map { "\($0)" }))
        }
    }
}
