internal import CSQLite

/// One connection to the store's SQLite file, through the C API.
///
/// A connection is not safe for concurrent use, and it is opened with `SQLITE_OPEN_NOMUTEX`
/// (SQLite's multi-thread mode: no per-connection mutex), so the store must hand each one to one
/// thread at a time. It does: the writer connection is used only on the writer's serial queue
/// (and, during a bulk load, by the encoding thread while the queue's thread waits for it), and
/// a reader connection only by the `read` call that checked it out of the ``ReaderPool``.
///
/// Prepared statements are cached by SQL text. The cache hands a statement out exclusively
/// (``checkOut(_:)``/``checkIn(_:)``), so two cursors with the same SQL open at once (a nested
/// loop join over the same pattern shape) each get their own statement.
final class SQLiteConnection: @unchecked Sendable {
    // @unchecked: see above; exclusive use by one thread at a time is guaranteed by the owners
    // (`QuadStore`'s writer queue, `ReaderPool`), not by the type system.
    let handle: OpaquePointer
    let path: String
    private var cache: [String: [SQLiteStatement]] = [:]
    private(set) var isClosed = false

    /// Opens (or creates, unless `readOnly`) the database at `path`.
    init(path: String, readOnly: Bool) throws {
        var db: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)) | SQLITE_OPEN_NOMUTEX
        let status = sqlite3_open_v2(path, &db, flags, nil)
        guard status == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            if let db { sqlite3_close_v2(db) }
            throw OntologyError(.storage, "cannot open `\(path)`: \(message)")
        }
        self.handle = db
        self.path = path
        sqlite3_extended_result_codes(db, 1)
    }

    deinit {
        close()
    }

    /// Finalizes every cached statement and closes the connection. Idempotent.
    func close() {
        guard !isClosed else { return }
        isClosed = true
        cache.removeAll()
        // close_v2 defers the close until statements still held by cursors are finalized.
        sqlite3_close_v2(handle)
    }

    // MARK: Errors

    /// An ``OntologyError`` for a failed call, with SQLite's own message and result code.
    func error(_ status: Int32, context: String) -> OntologyError {
        let message = String(cString: sqlite3_errmsg(handle))
        return OntologyError(.storage, "\(context): \(message) (SQLite code \(status))")
    }

    // MARK: Running SQL

    /// Runs one or more statements that return no rows (DDL, pragmas, BEGIN/COMMIT).
    func execute(_ sql: String) throws {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let status = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        guard status == SQLITE_OK else {
            let message = errorMessage.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(errorMessage)
            throw OntologyError(.storage, "cannot run `\(sql)`: \(message) (SQLite code \(status))")
        }
    }

    /// Prepares a statement that is not cached.
    func prepare(_ sql: String) throws -> SQLiteStatement {
        try SQLiteStatement(connection: self, sql: sql, persistent: false)
    }

    /// A cached statement for `sql`, for the caller's exclusive use until ``checkIn(_:)``.
    func checkOut(_ sql: String) throws -> SQLiteStatement {
        if var statements = cache[sql], let statement = statements.popLast() {
            cache[sql] = statements
            return statement
        }
        return try SQLiteStatement(connection: self, sql: sql, persistent: true)
    }

    /// Returns a statement to the cache, reset so that it holds no read lock.
    func checkIn(_ statement: SQLiteStatement) {
        statement.reset()
        guard !isClosed else { return }
        cache[statement.sql, default: []].append(statement)
    }

    /// Runs `body` with a cached statement for `sql`, reset before and after.
    @inline(__always)
    func withStatement<T>(_ sql: String, _ body: (SQLiteStatement) throws -> T) throws -> T {
        let statement = try checkOut(sql)
        defer { checkIn(statement) }
        return try body(statement)
    }

    /// The first column of the first row of a query, as an integer (0 when there is no row).
    func scalar(_ sql: String, _ bindings: Int64...) throws -> Int64 {
        try withStatement(sql) { statement in
            for (offset, value) in bindings.enumerated() { statement.bind(value, at: Int32(offset + 1)) }
            return try statement.step() ? statement.int64(at: 0) : 0
        }
    }

    /// The first column of the first row of a query, as text (empty when there is no row).
    func scalarText(_ sql: String) throws -> String {
        try withStatement(sql) { statement in try statement.step() ? statement.string(at: 0) : "" }
    }

    /// Rows changed by the most recent INSERT, UPDATE or DELETE.
    var changes: Int { Int(sqlite3_changes(handle)) }

    /// Whether a transaction is open (`sqlite3_get_autocommit` is 0 inside one).
    var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// Sets how long a call waits on a lock held by another connection before failing with BUSY.
    func setBusyTimeout(milliseconds: Int32) {
        sqlite3_busy_timeout(handle, milliseconds)
    }
}
