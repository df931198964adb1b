import Foundation
import Testing
@testable import Ontology

/// Grouped writes share transactions, yet each commits or fails alone.
struct QuadStoreGroupCommitTests {
    static let ex = "http://example.org/"
    struct Refused: Error {}

    @Test func concurrentWritesCommitTogetherAndAFailingOneLeavesNothing() async throws {
        let directory = NSTemporaryDirectory() + "registryd-group-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try QuadStore(directory: directory)
        defer { store.close() }
        let outcomes = try await withThrowingTaskGroup(of: (Int, Bool).self) { group in
            for number in 0..<60 {
                group.addTask {
                    do {
                        try await store.groupedWrite { transaction in
                            // Terms shared between writes: a failing write must not leave a term id
                            // behind that a later write of the same transaction would reuse.
                            let quads = [
                                Quad(.iri(Self.ex + "s\(number)"), IRI(Self.ex + "p"), .literal(Literal("shared \(number % 3)")),
                                     graph: .iri(Self.ex + "g\(number)")),
                                Quad(.iri(Self.ex + "s\(number)"), IRI(Self.ex + "only\(number)"), .blankNode(BlankNode("b")),
                                     graph: .iri(Self.ex + "g\(number)")),
                            ]
                            _ = try transaction.insert(quads)
                            transaction["count"] = ((transaction["count"] as? Int) ?? 0) + 1
                            if number % 7 == 0 { throw Refused() }
                        }
                        return (number, true)
                    } catch is Refused {
                        return (number, false)
                    }
                }
            }
            var result: [Int: Bool] = [:]
            for try await (number, committed) in group { result[number] = committed }
            return result
        }
        #expect(outcomes.count == 60)
        for (number, committed) in outcomes { #expect(committed == (number % 7 != 0)) }
        let stored = try await store.read { snapshot -> [Int: [Quad]] in
            var result: [Int: [Quad]] = [:]
            for number in 0..<60 {
                result[number] = try snapshot.quads(subject: .iri(Self.ex + "s\(number)"), in: .named(.iri(Self.ex + "g\(number)")))
            }
            return result
        }
        let graphs = Set(try await store.read { try $0.namedGraphs() })
        for number in 0..<60 {
            let quads = stored[number] ?? []
            if number % 7 == 0 {
                #expect(quads.isEmpty, "write \(number) threw: nothing of it is stored")
                #expect(!graphs.contains(.iri(Self.ex + "g\(number)")))
            } else {
                #expect(quads.count == 2)
                #expect(quads.contains { $0.object == .literal(Literal("shared \(number % 3)")) })
            }
        }
        // A predicate only a refused write used is not in the store.
        #expect(try await store.read { try $0.id(for: .iri(Self.ex + "only0")) } == nil)
        // Reopened, the store holds the same.
        store.close()
        let reopened = try QuadStore(directory: directory)
        defer { reopened.close() }
        let reopenedCount = try await reopened.read { try $0.quadCount() }
        #expect(reopenedCount == 2 * outcomes.values.filter { $0 }.count)
    }
}
