import Dispatch
import Synchronization

/// The read-only connections of one store, opened on demand up to a maximum.
///
/// In WAL mode "readers do not block writers and a writer does not block readers"
/// (sqlite.org/wal.html), so each `read` gets its own connection and its own snapshot, whatever
/// the writer is doing. Readers are opened `SQLITE_OPEN_READONLY`: they can never write, and a
/// read-only WAL connection never runs a checkpoint, not even when it is the last to close
/// (`sqlite3WalCheckpoint` refuses on a read-only WAL), so the writer stays the only connection
/// that checkpoints (the WAL-reset bug, see ``DirectoryLock``).
final class ReaderPool: Sendable {
    private struct State {
        var idle: [SQLiteConnection] = []
        var opened = 0
        var closed = false
    }

    private let state = Mutex(State())
    private let slots: DispatchSemaphore
    private let maximum: Int
    private let open: @Sendable () throws -> SQLiteConnection

    init(maximum: Int, open: @escaping @Sendable () throws -> SQLiteConnection) {
        self.maximum = max(1, maximum)
        self.slots = DispatchSemaphore(value: self.maximum)
        self.open = open
    }

    /// A connection for the caller's exclusive use; waits while all are in use.
    func checkOut() throws -> SQLiteConnection {
        slots.wait()
        enum Next { case reuse(SQLiteConnection), openNew, closed }
        let next: Next = state.withLock { state in
            if state.closed { return .closed }
            if let connection = state.idle.popLast() { return .reuse(connection) }
            state.opened += 1
            return .openNew
        }
        switch next {
        case .reuse(let connection):
            return connection
        case .closed:
            slots.signal()
            throw OntologyError(.storeClosed, "the store is closed")
        case .openNew:
            do {
                return try open()
            } catch {
                state.withLock { $0.opened -= 1 }
                slots.signal()
                throw error
            }
        }
    }

    /// Gives a connection back (closing it if the pool was closed meanwhile).
    func checkIn(_ connection: SQLiteConnection) {
        let keep = state.withLock { state in
            if state.closed { return false }
            state.idle.append(connection)
            return true
        }
        if !keep { connection.close() }
        slots.signal()
    }

    /// Closes the idle connections; those in use close when they come back.
    func close() {
        let idle = state.withLock { state in
            state.closed = true
            defer { state.idle = [] }
            return state.idle
        }
        for connection in idle { connection.close() }
    }
}
