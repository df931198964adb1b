/// Documents and a change log kept beside the quads, in the same SQLite file and transactions.
///
/// A client that keeps its own state next to RDF (the registry keeps services, tokens and its
/// event log) writes both in one ``QuadStore/Transaction``, so a registration's graph and its
/// record commit together or not at all. Values are opaque text; the registry stores JSON.
public struct StoredRecord: Sendable, Hashable {
    public var key: String
    public var value: String
}

/// One entry of the store's append-only journal.
public struct JournalEntry: Sendable, Hashable {
    /// The entry's sequence number, chosen by the writer; strictly increasing.
    public var sequence: Int64
    public var value: String
}

extension QuadStore.Snapshot {
    /// The value stored under `key` in `collection`, or nil.
    public func record(in collection: String, key: String) throws -> String? {
        try checkActive()
        return try connection.withStatement("SELECT value FROM record WHERE collection = ? AND key = ?") { statement in
            statement.bind(collection, at: 1)
            statement.bind(key, at: 2)
            return try statement.step() ? statement.string(at: 0) : nil
        }
    }

    /// Every record of `collection`, ordered by key.
    public func records(in collection: String) throws -> [StoredRecord] {
        try checkActive()
        return try connection.withStatement("SELECT key, value FROM record WHERE collection = ? ORDER BY key") { statement in
            statement.bind(collection, at: 1)
            var result: [StoredRecord] = []
            while try statement.step() {
                result.append(StoredRecord(key: statement.string(at: 0), value: statement.string(at: 1)))
            }
            return result
        }
    }

    /// Journal entries with a sequence number above `sequence`, oldest first, at most `limit`.
    public func journal(after sequence: Int64, limit: Int = .max) throws -> [JournalEntry] {
        try checkActive()
        return try connection.withStatement("SELECT seq, value FROM journal WHERE seq > ? ORDER BY seq LIMIT ?") { statement in
            statement.bind(sequence, at: 1)
            statement.bind(Int64(clamping: limit), at: 2)
            var result: [JournalEntry] = []
            while try statement.step() {
                result.append(JournalEntry(sequence: statement.int64(at: 0), value: statement.string(at: 1)))
            }
            return result
        }
    }

    /// The highest journal sequence number, or 0 when the journal is empty.
    public func lastJournalSequence() throws -> Int64 {
        try checkActive()
        return try connection.scalar("SELECT ifnull(max(seq), 0) FROM journal")
    }
}

extension QuadStore.Transaction {
    /// Stores `value` under `key` in `collection`, replacing what was there.
    public func putRecord(_ value: String, in collection: String, key: String) throws {
        try checkActive()
        replicatedRecords?.append(ReplicatedRecord(collection: collection, key: key, value: value))
        try connection.withStatement("INSERT OR REPLACE INTO record(collection, key, value) VALUES (?, ?, ?)") { statement in
            statement.bind(collection, at: 1)
            statement.bind(key, at: 2)
            statement.bind(value, at: 3)
            try statement.run()
        }
    }

    /// Removes the record under `key`; returns whether there was one.
    @discardableResult
    public func deleteRecord(in collection: String, key: String) throws -> Bool {
        try checkActive()
        replicatedRecords?.append(ReplicatedRecord(collection: collection, key: key, value: nil))
        return try connection.withStatement("DELETE FROM record WHERE collection = ? AND key = ?") { statement in
            statement.bind(collection, at: 1)
            statement.bind(key, at: 2)
            try statement.run()
            return connection.changes > 0
        }
    }

    /// Appends an entry to the journal. Sequence numbers must increase.
    public func appendJournal(_ value: String, sequence: Int64) throws {
        try checkActive()
        try connection.withStatement("INSERT INTO journal(seq, value) VALUES (?, ?)") { statement in
            statement.bind(sequence, at: 1)
            statement.bind(value, at: 2)
            try statement.run()
        }
    }

    /// Deletes the journal entries at or below `sequence`.
    public func trimJournal(through sequence: Int64) throws {
        try checkActive()
        try connection.withStatement("DELETE FROM journal WHERE seq <= ?") { statement in
            statement.bind(sequence, at: 1)
            try statement.run()
        }
    }

    /// Runs `body` on the writer queue right after this transaction commits, before the next
    /// write starts; not at all when it rolls back. For publishing in-memory state that must
    /// change in commit order.
    public func afterCommit(_ body: @escaping () -> Void) {
        commitHooks.append(body)
    }
}
