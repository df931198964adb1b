internal import CSQLite
import Foundation
import Synchronization

/// Cluster mode's replica: every write commits through the site's log (``ReplicationLog``)
/// and every node applies the log's entries in order.
///
/// A write runs on this node's copy at log position P as usual; just before COMMIT the store
/// takes the transaction's changeset (``ChangesetSession``) and appends it at P + 1. If another
/// node got there first, the transaction rolls back, the store applies the entries it missed,
/// and runs the write again: writes are serialized by the log, and every node's copy goes
/// through the same states. A write is acknowledged only once it is in the log and in this
/// node's file, so a node reads its own writes.
extension QuadStore {
    /// The writer's side of replication (used on the writer queue only).
    final class Replication: @unchecked Sendable {
        // @unchecked: touched only on the writer queue.
        let log: any ReplicationLog
        let node: String
        /// The last log position this copy holds.
        var position: Int64
        var observers: [@Sendable (ReplicaApplication, Transaction) throws -> Void] = []

        init(log: any ReplicationLog, node: String, position: Int64) {
            self.log = log
            self.node = node
            self.position = position
        }
    }

    /// How many times a write runs again after losing the race for a log position before it
    /// fails (each retry first applies what the winners wrote).
    static let maximumReplicationAttempts = 64

    /// Makes this store a replica of `log`: from now on every write commits through it.
    ///
    /// Call it right after opening, before anything reads or writes, then ``catchUpReplica()``.
    /// - Throws: `store.schema` when the store already holds data written outside a log (a
    ///   single-node registry cannot join a cluster in place).
    public func replicate(through log: any ReplicationLog, node: String) throws {
        try writerQueue.sync {
            let connection = writer.connection
            let known = try connection.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'replica_position'") > 0
            if !known {
                let used = try connection.scalar("SELECT (SELECT count(*) FROM term) + (SELECT count(*) FROM journal) + (SELECT count(*) FROM record)")
                guard used == 0 else {
                    throw OntologyError(.storeSchema, "`\(directory)` holds a registry written without a cluster; a cluster node starts from an empty data directory")
                }
                try connection.execute("CREATE TABLE replica_position(id INTEGER PRIMARY KEY CHECK (id = 0), position INTEGER NOT NULL); INSERT INTO replica_position VALUES (0, 0)")
            }
            let position = try connection.scalar("SELECT position FROM replica_position WHERE id = 0")
            writer.replication = Replication(log: log, node: node, position: position)
            replicaPositionValue.store(position, ordering: .sequentiallyConsistent)
        }
    }

    /// The log position of the store in `directory` without opening it for writing: 0 when
    /// there is no store or it never joined a cluster.
    public static func replicaPosition(inDirectory directory: String) throws -> Int64 {
        let path = directory + "/store.sqlite"
        guard FileManager.default.fileExists(atPath: path) else { return 0 }
        let connection = try SQLiteConnection(path: path, readOnly: true)
        defer { connection.close() }
        guard try connection.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'replica_position'") > 0 else { return 0 }
        return try connection.scalar("SELECT position FROM replica_position WHERE id = 0")
    }

    /// Whether writes commit through a log.
    public var isReplica: Bool { writerQueue.sync { writer.replication != nil } }

    /// The last log position this copy holds (0 when not a replica).
    public var replicaPosition: Int64 { replicaPositionValue.load(ordering: .sequentiallyConsistent) }

    /// Runs `observer` inside every transaction that applies entries written by other nodes,
    /// before its COMMIT: the owner of state derived from the store (the registry's memory)
    /// updates it there, with ``Transaction/afterCommit(_:)`` for what must wait for COMMIT.
    public func onReplicaApplication(_ observer: @escaping @Sendable (ReplicaApplication, Transaction) throws -> Void) {
        writerQueue.sync { writer.replication?.observers.append(observer) }
    }

    /// Applies the log's entries this copy does not hold yet, up to `limit` per transaction,
    /// until it holds them all; returns how many it applied.
    @discardableResult
    public func catchUpReplica(limit: Int = 256) async throws -> Int {
        try await withCheckedThrowingContinuation { continuation in
            writerQueue.async {
                continuation.resume(with: Result { try self.applyMissingEntries(limit: limit) })
            }
        }
    }

    /// ``catchUpReplica(limit:)`` on the writer queue.
    func applyMissingEntries(limit: Int) throws -> Int {
        guard !isClosed.load(ordering: .relaxed) else { throw OntologyError(.storeClosed, "the store is closed") }
        guard let replication = writer.replication else { return 0 }
        var applied = 0
        while true {
            let entries = try replication.log.entries(after: replication.position, limit: limit)
            guard !entries.isEmpty else { return applied }
            try apply(entries, replication: replication)
            applied += entries.count
            if entries.count < limit { return applied }
        }
    }

    private func apply(_ entries: [ReplicatedEntry], replication: Replication) throws {
        let connection = writer.connection
        try connection.execute("BEGIN IMMEDIATE")
        let transaction = Transaction(writer: writer)
        do {
            var deletedTerms = false
            var position = replication.position
            for entry in entries {
                guard entry.position == position + 1 else {
                    throw OntologyError(.storage, "the log skips from position \(position) to \(entry.position)")
                }
                if try ChangesetSession.apply(entry.changeset, on: connection) { deletedTerms = true }
                for record in entry.records {
                    if let value = record.value {
                        try transaction.putRecord(value, in: record.collection, key: record.key)
                    } else {
                        try transaction.deleteRecord(in: record.collection, key: record.key)
                    }
                }
                position = entry.position
            }
            try Self.storePosition(position, on: connection)
            let application = ReplicaApplication(entries: entries)
            for observer in replication.observers { try observer(application, transaction) }
            try connection.execute("COMMIT")
            transaction.end()
            replication.position = position
            replicaPositionValue.store(position, ordering: .sequentiallyConsistent)
            // The changeset wrote term rows with the writer's ids; the next id must be past them.
            try writer.skipPastStoredIDs()
            if deletedTerms { cache.removeAll() }
            publish(transaction)
        } catch {
            rollBack(transaction)
            throw error
        }
    }

    private static func storePosition(_ position: Int64, on connection: SQLiteConnection) throws {
        try connection.withStatement("UPDATE replica_position SET position = ?1 WHERE id = 0") { statement in
            statement.bind(position, at: 1)
            try statement.run()
        }
    }

    // MARK: The writing side

    /// Refuses a write to a cluster node's file by a process that does not replicate it (an
    /// offline `registryd token`, `import` or `update` on a node's data directory): the change
    /// would be on this node only, and the next entry's changeset would not fit its rows.
    func checkWritableHere() throws {
        guard belongsToCluster, writer.replication == nil else { return }
        throw OntologyError(.storeSchema, "`\(directory)` is a cluster node's replica: change it through a running node (its HTTP API), not offline")
    }

    /// Starts watching a write transaction's changes, when this store is a replica.
    func startReplicatedTransaction(_ transaction: Transaction) throws -> ChangesetSession? {
        guard writer.replication != nil else { return nil }
        transaction.replicatedRecords = []
        return try ChangesetSession(connection: writer.connection)
    }

    /// Appends a write transaction's changes to the log, just before its COMMIT; returns the
    /// position it took (nil when the store is not a replica or the write changed nothing).
    /// - Throws: ``ReplicationConflict`` when another node took the position first.
    func appendToLog(_ transaction: Transaction, session: ChangesetSession?) throws -> Int64? {
        guard let session, let replication = writer.replication else { return nil }
        let entry = ReplicatedEntry(position: replication.position + 1, origin: replication.node,
                                    changeset: try session.changeset(), records: transaction.replicatedRecords ?? [])
        guard !entry.isEmpty else { return nil }
        try replication.log.append(entry)
        try Self.storePosition(entry.position, on: writer.connection)
        return entry.position
    }

    /// Records that the COMMIT of a write appended at `position` is done.
    func committedToLog(at position: Int64?) {
        guard let position, let replication = writer.replication else { return }
        replication.position = position
        replicaPositionValue.store(position, ordering: .sequentiallyConsistent)
    }

    /// Runs one write transaction (`attempt`) until it does not lose the race for its log
    /// position; after each loss, applies what the winners wrote so that it runs on the new state.
    func retryingLostRaces<T>(_ attempt: () throws -> T) throws -> T {
        var attempts = 1
        while true {
            do {
                return try attempt()
            } catch is ReplicationConflict where attempts < Self.maximumReplicationAttempts {
                attempts += 1
                _ = try applyMissingEntries(limit: 256)
            }
        }
    }
}
