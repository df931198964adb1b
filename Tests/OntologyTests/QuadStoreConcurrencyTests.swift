import Dispatch
import Synchronization
import Testing
@testable import Ontology

/// Readers see a consistent snapshot while writes commit, and never wait for the writer.
struct QuadStoreConcurrencyTests {
    static let ex = "http://example.org/"

    static func quads(_ prefix: String, _ count: Int) -> [Quad] {
        (0..<count).map { Quad(.iri(ex + "\(prefix)\($0)"), IRI(ex + "p"), .iri(ex + "o")) }
    }

    @Test func readerKeepsItsSnapshotWhileAWriteCommits() throws {
        try withTemporaryStore { store throws in
            try store.insert(Self.quads("a", 100))
            let writeDone = DispatchSemaphore(value: 0)
            let counts = try store.read { snapshot -> [Int] in
                let before = try snapshot.quadCount()
                let cursor = try snapshot.cursor(matching: EncodedQuadPattern())
                _ = try cursor.next()
                // Commit a write from another thread while this read is open.
                DispatchQueue.global().async {
                    _ = try? store.insert(Self.quads("b", 50))
                    writeDone.signal()
                }
                writeDone.wait()
                var streamed = 1
                while try cursor.next() != nil { streamed += 1 }
                return [before, try snapshot.quadCount(), try snapshot.quads(matching: EncodedQuadPattern()).count, streamed]
            }
            #expect(counts == [100, 100, 100, 100])
            #expect(try store.read { try $0.quadCount() } == 150)
        }
    }

    @Test func readersDoNotWaitForAnOpenWriteTransaction() throws {
        try withTemporaryStore { store throws in
            try store.insert(Self.quads("a", 10))
            let inWrite = DispatchSemaphore(value: 0)
            let release = DispatchSemaphore(value: 0)
            let finished = DispatchSemaphore(value: 0)
            DispatchQueue.global().async {
                _ = try? store.write { transaction in
                    try transaction.insert(Self.quads("b", 10))
                    inWrite.signal()
                    release.wait()  // hold the write transaction open
                }
                finished.signal()
            }
            inWrite.wait()
            // While the writer holds uncommitted changes, readers answer at once with the
            // committed state.
            #expect(try store.read { try $0.quadCount() } == 10)
            #expect(try store.read { try $0.quads(subject: .iri(Self.ex + "b0")) }.isEmpty)
            release.signal()
            finished.wait()
            #expect(try store.read { try $0.quadCount() } == 20)
        }
    }

    @Test func concurrentReadersAndWritersFromTasks() async throws {
        let directory = try TemporaryDirectory()
        let store = try QuadStore(directory: directory.path)
        defer { store.close() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<4 {
                group.addTask {
                    for batch in 0..<10 {
                        let quads = Self.quads("w\(writer)-\(batch)-", 10)
                        _ = try await store.write { try $0.insert(quads) }
                    }
                }
            }
            for _ in 0..<8 {
                group.addTask {
                    for _ in 0..<20 {
                        // Each snapshot sees whole writes only: a multiple of 10 quads.
                        let counts = try await store.read { snapshot throws in
                            [try snapshot.quadCount(), try snapshot.count(matching: EncodedQuadPattern())]
                        }
                        #expect(counts[0] == counts[1])
                        #expect(counts[0] % 10 == 0)
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await store.read { try $0.quadCount() } == 400)
    }
}
