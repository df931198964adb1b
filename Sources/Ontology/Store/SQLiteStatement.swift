internal import CSQLite

/// `SQLITE_TRANSIENT`: tells SQLite to copy bound text before `bind` returns. The C macro is a
/// cast of -1 to a function pointer, which Swift does not import.
let sqliteTransient = unsafeBitCast(Int(-1), to: sqlite3_destructor_type.self)

/// One prepared SQLite statement.
///
/// Parameters are numbered from 1 and columns from 0, as in the C API. A statement belongs to
/// one ``SQLiteConnection`` and is used by the same thread as its connection.
final class SQLiteStatement {
    let handle: OpaquePointer
    /// The SQL text, for error messages and for the connection's statement cache.
    let sql: String
    unowned let connection: SQLiteConnection

    init(connection: SQLiteConnection, sql: String, persistent: Bool) throws {
        var statement: OpaquePointer?
        // PERSISTENT: cached statements live for the whole connection, and SQLite then avoids
        // its lookaside memory for them (sqlite.org/c3ref/c_prepare_normalize.html).
        let flags = persistent ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
        let status = sqlite3_prepare_v3(connection.handle, sql, -1, flags, &statement, nil)
        guard status == SQLITE_OK, let statement else {
            throw connection.error(status, context: "cannot prepare `\(sql)`")
        }
        self.handle = statement
        self.sql = sql
        self.connection = connection
    }

    deinit {
        sqlite3_finalize(handle)
    }

    // MARK: Binding

    @inline(__always)
    func bind(_ value: Int64, at index: Int32) {
        sqlite3_bind_int64(handle, index, value)
    }

    @inline(__always)
    func bind(_ value: TermID, at index: Int32) {
        sqlite3_bind_int64(handle, index, value.rawValue)
    }

    func bind(_ value: Double, at index: Int32) {
        sqlite3_bind_double(handle, index, value)
    }

    func bind(_ value: String, at index: Int32) {
        var value = value
        value.withUTF8 { bytes in
            // An empty string may have no base address; SQLite needs a pointer for '' (not NULL).
            guard let base = bytes.baseAddress else {
                _ = sqlite3_bind_text(handle, index, "", 0, sqliteTransient)
                return
            }
            base.withMemoryRebound(to: CChar.self, capacity: bytes.count) { pointer in
                _ = sqlite3_bind_text(handle, index, pointer, Int32(bytes.count), sqliteTransient)
            }
        }
    }

    func bindNull(at index: Int32) {
        sqlite3_bind_null(handle, index)
    }

    func bind(_ value: String?, at index: Int32) {
        if let value { bind(value, at: index) } else { bindNull(at: index) }
    }

    func bind(_ value: Int64?, at index: Int32) {
        if let value { bind(value, at: index) } else { bindNull(at: index) }
    }

    // MARK: Stepping

    /// Advances to the next row. Returns false when the statement is done.
    @inline(__always)
    func step() throws -> Bool {
        let status = sqlite3_step(handle)
        if status == SQLITE_ROW { return true }
        if status == SQLITE_DONE { return false }
        throw connection.error(status, context: "cannot run `\(sql)`")
    }

    /// Runs a statement that returns no rows (or whose rows are not needed).
    func run() throws {
        while try step() {}
    }

    /// Makes the statement ready to run again; bindings are kept.
    @inline(__always)
    func reset() {
        sqlite3_reset(handle)
    }

    func clearBindings() {
        sqlite3_clear_bindings(handle)
    }

    // MARK: Columns

    @inline(__always)
    func int64(at column: Int32) -> Int64 {
        sqlite3_column_int64(handle, column)
    }

    @inline(__always)
    func termID(at column: Int32) -> TermID {
        TermID(rawValue: sqlite3_column_int64(handle, column))
    }

    func double(at column: Int32) -> Double {
        sqlite3_column_double(handle, column)
    }

    func isNull(at column: Int32) -> Bool {
        sqlite3_column_type(handle, column) == SQLITE_NULL
    }

    /// The column's fundamental type: `SQLITE_INTEGER`, `SQLITE_FLOAT`, `SQLITE_TEXT`, ...
    func type(at column: Int32) -> Int32 {
        sqlite3_column_type(handle, column)
    }

    /// The column as UTF-8 text (empty for NULL).
    func string(at column: Int32) -> String {
        guard let text = sqlite3_column_text(handle, column) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    /// The column as text, or nil when it is NULL.
    func optionalString(at column: Int32) -> String? {
        isNull(at: column) ? nil : string(at: column)
    }
}
