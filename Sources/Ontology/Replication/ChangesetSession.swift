internal import CSQLite

/// A SQLite session (the session extension) on the writer connection for one transaction: what
/// the transaction changed in the tables it watches, as a changeset another node can apply.
///
/// The changeset is computed when asked for, from the rows' values then, so changes a grouped
/// write rolled back to its savepoint are not in it.
final class ChangesetSession {
    /// The tables that hold the store's state and have a declared primary key; `record` has
    /// none, so its changes travel in ``ReplicatedEntry/records``.
    static let tables = ["term", "dquad", "nquad", "named_graph", "predicate_stats", "journal"]

    private let session: OpaquePointer

    init(connection: SQLiteConnection) throws {
        var created: OpaquePointer?
        let status = sqlite3session_create(connection.handle, "main", &created)
        guard status == SQLITE_OK, let created else { throw connection.error(status, context: "cannot start a changeset session") }
        session = created
        for table in Self.tables {
            let attached = sqlite3session_attach(session, table)
            guard attached == SQLITE_OK else {
                sqlite3session_delete(session)
                throw connection.error(attached, context: "cannot watch `\(table)` for replication")
            }
        }
    }

    deinit {
        sqlite3session_delete(session)
    }

    /// The transaction's changes so far.
    func changeset() throws -> [UInt8] {
        var size: Int32 = 0
        var buffer: UnsafeMutableRawPointer?
        let status = sqlite3session_changeset(session, &size, &buffer)
        defer { sqlite3_free(buffer) }
        guard status == SQLITE_OK else { throw OntologyError(.storage, "cannot read the transaction's changeset (SQLite code \(status))") }
        guard let buffer, size > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: buffer, count: Int(size)))
    }

    /// Applies a changeset written by another node. Replicas hold the same rows, so a conflict
    /// means this node's copy diverged: the row is made what the changeset says.
    /// - Returns: whether the changeset deleted rows of the `term` table (the term cache must
    ///   then forget what it holds).
    static func apply(_ changeset: [UInt8], on connection: SQLiteConnection) throws -> Bool {
        guard !changeset.isEmpty else { return false }
        let deletesTerms = try changeset.withUnsafeBytes { bytes -> Bool in
            let base = UnsafeMutableRawPointer(mutating: bytes.baseAddress)
            let status = sqlite3changeset_apply(connection.handle, Int32(bytes.count), base, nil, { _, conflict, _ in
                // REPLACE is allowed only for DATA and CONFLICT; a row already gone stays gone.
                conflict == SQLITE_CHANGESET_DATA || conflict == SQLITE_CHANGESET_CONFLICT
                    ? SQLITE_CHANGESET_REPLACE : SQLITE_CHANGESET_OMIT
            }, nil)
            guard status == SQLITE_OK else { throw connection.error(status, context: "cannot apply a log entry") }
            return try Self.deletesTerms(Int32(bytes.count), base)
        }
        return deletesTerms
    }

    private static func deletesTerms(_ size: Int32, _ data: UnsafeMutableRawPointer?) throws -> Bool {
        var iterator: OpaquePointer?
        guard sqlite3changeset_start(&iterator, size, data) == SQLITE_OK, let iterator else {
            throw OntologyError(.storage, "a log entry's changeset is malformed")
        }
        defer { sqlite3changeset_finalize(iterator) }
        while sqlite3changeset_next(iterator) == SQLITE_ROW {
            var table: UnsafePointer<CChar>?
            var columns: Int32 = 0
            var operation: Int32 = 0
            var indirect: Int32 = 0
            sqlite3changeset_op(iterator, &table, &columns, &operation, &indirect)
            if operation == SQLITE_DELETE, let table, String(cString: table) == "term" { return true }
        }
        return false
    }
}
