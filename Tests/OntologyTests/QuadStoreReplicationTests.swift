import Foundation
import Synchronization
import Testing
@testable import Ontology

/// Cluster mode's store side: entries survive their serialized form, and two replicas that
/// write through one log, racing for its positions, end with the same rows (term ids and blank
/// nodes included). etcd itself is exercised by `Tests/e2e/cluster.py`; here the log is the
/// protocol's own contract held in memory, so that races can be forced.
struct QuadStoreReplicationTests {
    static let ex = "http://example.org/"

    /// A log with ``ReplicationLog``'s contract: an append takes a free position only.
    final class SharedLog: ReplicationLog, @unchecked Sendable {
        // @unchecked: every access goes through the mutex.
        let entries = Mutex<[Int64: ReplicatedEntry]>([:])
        let appends = Atomic<Int>(0)
        let conflicts = Atomic<Int>(0)

        func append(_ entry: ReplicatedEntry) throws {
            appends.add(1, ordering: .relaxed)
            try entries.withLock { entries in
                guard entries[entry.position] == nil else {
                    conflicts.add(1, ordering: .relaxed)
                    throw ReplicationConflict(position: entry.position)
                }
                entries[entry.position] = entry
            }
        }

        func entries(after position: Int64, limit: Int) throws -> [ReplicatedEntry] {
            entries.withLock { entries in
                var result: [ReplicatedEntry] = []
                var next = position + 1
                while let entry = entries[next], result.count < limit {
                    result.append(entry)
                    next += 1
                }
                return result
            }
        }
    }

    @Test func anEntryReadsBackAsWrittenAndDamagedBytesAreRefused() throws {
        let entry = ReplicatedEntry(position: 42, origin: "nœud-1", changeset: [0, 1, 2, 255, 7],
                                    records: [ReplicatedRecord(collection: "service", key: "a", value: "{\"x\":\"é\"}"),
                                              ReplicatedRecord(collection: "pin", key: "b", value: nil),
                                              ReplicatedRecord(collection: "token", key: "", value: "")])
        let bytes = entry.serialized()
        #expect(try ReplicatedEntry(serialized: bytes) == entry)
        // A deleted record and an empty value are not the same thing.
        #expect(try ReplicatedEntry(serialized: bytes).records[1].value == nil)
        #expect(try ReplicatedEntry(serialized: bytes).records[2].value == "")
        for length in 0..<bytes.count {
            #expect(throws: OntologyError.self) { try ReplicatedEntry(serialized: Array(bytes.prefix(length))) }
        }
        #expect(throws: OntologyError.self) { try ReplicatedEntry(serialized: bytes + [0]) }
        var wrongMagic = bytes
        wrongMagic[0] = UInt8(ascii: "X")
        #expect(throws: OntologyError.self) { try ReplicatedEntry(serialized: wrongMagic) }
    }

    @Test func replicasThatRaceForTheLogEndWithTheSameRows() async throws {
        let log = SharedLog()
        let directories = (0..<2).map { _ in NSTemporaryDirectory() + "registryd-replica-\(UUID().uuidString)" }
        defer { for directory in directories { try? FileManager.default.removeItem(atPath: directory) } }
        let stores = try directories.enumerated().map { index, directory in
            let store = try QuadStore(directory: directory)
            try store.replicate(through: log, node: "n\(index)")
            return store
        }
        defer { for store in stores { store.close() } }

        // Both replicas write at once, each from its own tasks, so that positions are contended.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for number in 0..<40 {
                let store = stores[number % 2]
                group.addTask {
                    try await store.groupedWrite { transaction in
                        // A blank node per write and a term shared by all: ids must agree everywhere.
                        _ = try transaction.insert([
                            Quad(.iri(Self.ex + "s\(number)"), IRI(Self.ex + "p"), .blankNode(BlankNode("b")), graph: .iri(Self.ex + "g")),
                            Quad(.iri(Self.ex + "s\(number)"), IRI(Self.ex + "label"), .literal(Literal("shared")), graph: .iri(Self.ex + "g")),
                        ])
                        try transaction.putRecord("value \(number)", in: "test", key: "k\(number)")
                    }
                }
            }
            try await group.waitForAll()
        }
        // A deletion that orphans blank nodes, so that term rows go too.
        let orphaned = try await stores[1].write { transaction in
            let removed = try transaction.delete(try transaction.quads(subject: .iri(Self.ex + "s0"), predicate: IRI(Self.ex + "p")))
            try transaction.deleteRecord(in: "test", key: "k1")
            return removed
        }
        #expect(orphaned == 1)
        for store in stores { try await store.catchUpReplica() }

        #expect(log.conflicts.load(ordering: .relaxed) > 0, "the two replicas raced for at least one position")
        var texts: [[UInt8]] = []
        for store in stores { texts.append(try await store.read { try $0.fingerprintText() }) }
        #expect(texts[0] == texts[1], "both replicas hold the same rows")
        #expect(stores[0].replicaPosition == stores[1].replicaPosition)
        let records = try await stores[0].read { try $0.records(in: "test") }
        #expect(records.count == 39, "every write is there once; the deleted record is gone")
        for store in stores {
            let labels = try await store.read { try $0.quads(predicate: IRI(Self.ex + "label")).count }
            let links = try await store.read { try $0.quads(predicate: IRI(Self.ex + "p")).count }
            #expect(labels == 40)
            #expect(links == 39)
        }
    }

    @Test func aReplicaMintsNewTermsPastTheOnesAnotherNodeWrote() async throws {
        let log = SharedLog()
        let directories = (0..<2).map { _ in NSTemporaryDirectory() + "registryd-replica-\(UUID().uuidString)" }
        defer { for directory in directories { try? FileManager.default.removeItem(atPath: directory) } }
        let stores = try directories.enumerated().map { index, directory in
            let store = try QuadStore(directory: directory)
            try store.replicate(through: log, node: "n\(index)")
            return store
        }
        defer { for store in stores { store.close() } }
        func write(_ store: QuadStore, _ names: Range<Int>) async throws {
            try await store.write { transaction in
                _ = try transaction.insert(names.map { Quad(.iri(Self.ex + "t\($0)"), IRI(Self.ex + "p"), .literal(Literal("v\($0)"))) })
            }
        }
        // B has handed out ids; then A writes many new terms, and B, after applying them,
        // writes new ones of its own: they must not take ids A's rows hold.
        try await write(stores[1], 0..<1)
        try await stores[0].catchUpReplica()
        try await write(stores[0], 1..<50)
        try await stores[1].catchUpReplica()
        try await write(stores[1], 50..<60)
        try await stores[0].catchUpReplica()
        var texts: [[UInt8]] = []
        for store in stores { texts.append(try await store.read { try $0.fingerprintText() }) }
        #expect(texts[0] == texts[1])
        let count = try await stores[0].read { try $0.quads(predicate: IRI(Self.ex + "p")).count }
        #expect(count == 60)
    }

    @Test func aStoreThatJoinedAClusterRefusesOfflineWrites() throws {
        let directory = NSTemporaryDirectory() + "registryd-replica-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        do {
            let store = try QuadStore(directory: directory)
            try store.replicate(through: SharedLog(), node: "n0")
            try store.write { try $0.putRecord("joined", in: "test", key: "k") }
            store.close()
        }
        let offline = try QuadStore(directory: directory)
        defer { offline.close() }
        let error = #expect(throws: OntologyError.self) { try offline.write { try $0.putRecord("offline", in: "test", key: "k") } }
        #expect(error?.code == .storeSchema)
        #expect(try offline.read { try $0.record(in: "test", key: "k") } == "joined")
    }
}
