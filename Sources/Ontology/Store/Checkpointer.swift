internal import CSQLite
import Synchronization

/// Copies the WAL back into the database file from its own connection and thread, so that the
/// single writer never stops for it.
///
/// SQLite's automatic checkpoint runs inside the COMMIT that takes the WAL past 1,000 pages, on
/// the committing connection: here, the writer. Under a stream of registrations those
/// checkpoints (copying pages, two syncs) were 16% of the writer's time (`bench/README.md`,
/// session 8), and every write waiting behind them waited too. The writer's WAL hook
/// (``install(on:)``, which replaces the automatic checkpoint) now only notes the WAL's size;
/// past the threshold this runs `PRAGMA wal_checkpoint(PASSIVE)` on another connection, which
/// copies what is committed without taking the write lock. The writer starts the WAL over at
/// its next transaction once a checkpoint has copied all of it, as it did before.
final class Checkpointer: Sendable {
    /// WAL pages after which a checkpoint is started (SQLite's automatic default).
    let threshold: Int32
    private let path: String
    private let synchronous: String
    private let busyTimeoutMilliseconds: Int32
    private let connection = Mutex<SQLiteConnection?>(nil)
    private let isScheduled = Atomic<Bool>(false)
    private let isClosed = Atomic<Bool>(false)
    private let thread: BlockingThreadPool

    init(path: String, synchronous: String, busyTimeoutMilliseconds: Int32, threshold: Int32 = 1000) {
        self.path = path
        self.synchronous = synchronous
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
        self.threshold = threshold
        self.thread = BlockingThreadPool(threads: 1, name: "registryd.store.checkpoint")
    }

    /// Makes `writer`'s commits report the WAL's size here instead of checkpointing themselves.
    /// The checkpointer must outlive the connection (the store closes them in that order).
    func install(on writer: SQLiteConnection) {
        let hook: @convention(c) (UnsafeMutableRawPointer?, OpaquePointer?, UnsafePointer<CChar>?, Int32) -> Int32 = { context, _, _, pages in
            guard let context else { return SQLITE_OK }
            Unmanaged<Checkpointer>.fromOpaque(context).takeUnretainedValue().walHasGrown(to: pages)
            return SQLITE_OK
        }
        sqlite3_wal_hook(writer.handle, hook, Unmanaged.passUnretained(self).toOpaque())
    }

    private func walHasGrown(to pages: Int32) {
        guard pages >= threshold, !isClosed.load(ordering: .relaxed),
            !isScheduled.exchange(true, ordering: .acquiringAndReleasing) else { return }
        thread.submit { [self] in
            checkpoint()
            isScheduled.store(false, ordering: .releasing)
        }
    }

    /// One passive checkpoint; a failure leaves the WAL to the next one (or to the writer's
    /// close), so it is not an error anyone must see.
    private func checkpoint() {
        connection.withLock { connection in
            guard !isClosed.load(ordering: .relaxed) else { return }
            if connection == nil {
                guard let opened = try? SQLiteConnection(path: path, readOnly: false) else { return }
                opened.setBusyTimeout(milliseconds: busyTimeoutMilliseconds)
                try? opened.execute("PRAGMA synchronous = \(synchronous)")
                connection = opened
            }
            _ = try? connection?.scalar("PRAGMA wal_checkpoint(PASSIVE)")
        }
    }

    /// Closes the connection, after a checkpoint under way; no checkpoint starts afterwards.
    func close() {
        isClosed.store(true, ordering: .relaxed)
        thread.shutdown()
        connection.withLock { connection in
            connection?.close()
            connection = nil
        }
    }
}
