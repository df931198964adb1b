import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// registryd's RDF quad store: dictionary-encoded quads with named graphs in one SQLite file.
///
/// The store follows GRDB's `DatabasePool`: one writer connection whose transactions are
/// serialized on a dispatch queue, and a pool of read-only connections that each see a
/// consistent snapshot and never wait for the writer (WAL mode). Work happens in closures:
///
/// ```swift
/// let store = try QuadStore(directory: "registry-data")
/// try store.write { transaction in
///     try transaction.replace(graph: .iri("urn:registration:42"), with: triples)
/// }
/// let sensors = try store.read { snapshot in
///     guard let type = try snapshot.id(for: .iri(RDF.type)),
///           let sensor = try snapshot.id(for: .iri("http://www.w3.org/ns/sosa/Sensor"))
///     else { return 0 }
///     return try snapshot.count(matching: EncodedQuadPattern(predicate: type, object: sensor))
/// }
/// ```
///
/// A `write` commits when its closure returns and rolls back when it throws, so nothing half
/// written is ever visible, and after `write` returns the change survives `kill -9` (see
/// ``Configuration/Durability``). A `read` sees the data as of the moment it starts, however
/// long it runs and whatever is written meanwhile.
///
/// The synchronous `read` and `write` block the calling thread on SQLite I/O, so async code
/// must use the `async` overloads, which run the closure on the store's own dispatch queues
/// instead of Swift's cooperative thread pool.
///
/// Blank nodes: every import or insert gets fresh blank nodes (``BlankNodeScope/fresh``), so
/// `_:a` in two documents are two nodes. A stored blank node comes back from the store with the
/// label `b<id>`, which names the same node when it is written back with
/// ``BlankNodeScope/store`` (as SPARQL Update's DELETE/INSERT WHERE does).
///
/// Files: `store.sqlite` (with SQLite's `-wal` and `-shm`) and `store.lock` in the directory.
/// One process at a time may open a store.
public final class QuadStore: Sendable {
    /// The directory that holds the store's files.
    public let directory: String
    /// The database file.
    public let databasePath: String
    /// The settings the store was opened with.
    public let configuration: Configuration

    /// Graphs kept in memory beside the SQLite quads (a registration's graph); every snapshot
    /// sees them. Their owner writes them through a transaction and rebuilds them on open.
    public let memoryGraphs: MemoryGraphs

    let writer: Writer
    let readers: ReaderPool
    let cache: TermCache
    /// Grouped writes waiting for the writer (``groupedWrite(_:)``).
    let group = Mutex<GroupQueue>(GroupQueue())
    let writerQueue: DispatchQueue
    private let readerThreads: BlockingThreadPool
    private let writerKey = DispatchSpecificKey<Bool>()
    private let lock: DirectoryLock
    /// Checkpoints the WAL beside the writer (see ``Checkpointer``).
    private let checkpointer: Checkpointer
    let isClosed = Atomic<Bool>(false)
    /// The last log position a replica holds (``replicaPosition``).
    let replicaPositionValue = Atomic<Int64>(0)
    /// Whether the file belongs to a cluster node (it has a log position): then it may only be
    /// written through the log (``replicate(through:node:)``), never by a process of its own.
    let belongsToCluster: Bool

    /// Opens the store in `directory`, creating the directory and an empty store if needed.
    ///
    /// - Throws: ``OntologyError`` `store.locked` when another process has the store open,
    ///   `store.schema` when the file is not a registryd store, `store.sqlite` on I/O errors.
    public init(directory: String, configuration: Configuration = Configuration()) throws {
        try DirectoryLock.makeDirectory(atPath: directory)
        self.directory = directory
        self.databasePath = directory + "/store.sqlite"
        self.configuration = configuration
        self.lock = try DirectoryLock(path: directory + "/store.lock")
        let connection = try SQLiteConnection(path: databasePath, readOnly: false)
        try Self.configureWriter(connection, configuration)
        try StoreSchema.prepare(connection)
        self.belongsToCluster = try connection.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'replica_position'") > 0
        self.checkpointer = Checkpointer(path: databasePath, synchronous: configuration.synchronous,
                                         busyTimeoutMilliseconds: Int32(clamping: configuration.busyTimeoutMilliseconds))
        checkpointer.install(on: connection)
        let cache = TermCache(capacity: configuration.termCacheCapacity)
        self.cache = cache
        self.memoryGraphs = MemoryGraphs()
        self.writer = Writer(connection: connection, cache: cache, memoryGraphs: memoryGraphs)
        let path = databasePath
        self.readers = ReaderPool(maximum: configuration.maximumReaderCount) {
            let reader = try SQLiteConnection(path: path, readOnly: true)
            try Self.configureReader(reader, configuration)
            return reader
        }
        self.writerQueue = DispatchQueue(label: "registryd.store.writer")
        self.readerThreads = BlockingThreadPool(threads: configuration.maximumReaderCount, name: "registryd.store.reader")
        writerQueue.setSpecific(key: writerKey, value: true)
    }

    deinit {
        close()
    }

    /// Closes every connection. Later calls fail with `store.closed`. Idempotent.
    ///
    /// Waits for the current write to finish; reads still running close their connection when
    /// they end.
    public func close() {
        guard !isClosed.exchange(true, ordering: .sequentiallyConsistent) else { return }
        readerThreads.shutdown()
        let body = { [writer, readers, lock, checkpointer] in
            // Readers and the checkpointer first, so that the writer is the last connection
            // and its close can checkpoint the WAL into the database file and remove it. Then
            // the directory is free for the next writer, in this process or another.
            readers.close()
            checkpointer.close()
            writer.connection.close()
            lock.release()
        }
        if DispatchQueue.getSpecific(key: writerKey) == true { body() } else { writerQueue.sync(execute: body) }
    }

    /// The RDFS schema of the stored graphs, shared by every reader of this store
    /// (``StoreDataset/rdfsSchema(cache:)``).
    public let schemas = RDFSSchemaCache()

    /// How many write transactions have committed since the store opened. A snapshot keeps the
    /// count it began at (``Snapshot/commitCount``), to version what is derived from it.
    public var commitCount: UInt64 { writer.commits.load(ordering: .sequentiallyConsistent) }

    // MARK: Reading

    /// Runs `body` with a read-only snapshot of the store and returns its result.
    ///
    /// The snapshot is consistent: every call in `body` sees the store as it was when `read`
    /// began, even while writes commit. Do not let the snapshot (or a ``QuadCursor``) escape
    /// `body`. Blocks the calling thread; from async code use the `async` overload.
    public func read<T>(_ body: (Snapshot) throws -> T) throws -> T {
        guard !isClosed.load(ordering: .relaxed) else { throw OntologyError(.storeClosed, "the store is closed") }
        let connection = try readers.checkOut()
        defer { readers.checkIn(connection) }
        // Read before the transaction begins, so that the data is at least as new as the count.
        let commits = commitCount
        try connection.execute("BEGIN")
        let snapshot = Snapshot(connection: connection, cache: cache, memory: memoryGraphs.openView())
        snapshot.commitCount = commits
        defer {
            snapshot.end()
            try? connection.execute("COMMIT")
        }
        // Start the WAL read transaction now rather than at the first query of `body`.
        _ = try connection.scalar("SELECT count(*) FROM named_graph WHERE id = 0")
        return try body(snapshot)
    }

    /// Runs `body` with a read-only snapshot on one of the store's reader threads (as many as
    /// readers; see ``BlockingThreadPool`` for why not Dispatch).
    public func read<T: Sendable>(_ body: @escaping @Sendable (Snapshot) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            readerThreads.submit {
                continuation.resume(with: Result { try self.read(body) })
            }
        }
    }

    /// Indexes the in-memory graphs' pending commits in the background
    /// (``MemoryGraphs/indexPending(quietFor:budget:quietBudget:)``), on a reader thread; returns how many
    /// it indexed. For the owner's periodic maintenance, so that readers rarely wait.
    public func indexMemoryGraphs(quietFor quiet: Duration, budget: Duration, quietBudget: Duration) async -> Int {
        guard memoryGraphs.pendingCommitCount > 0, !isClosed.load(ordering: .relaxed) else { return 0 }
        return await withCheckedContinuation { continuation in
            readerThreads.submit { [memoryGraphs] in
                continuation.resume(returning: memoryGraphs.indexPending(quietFor: quiet, budget: budget, quietBudget: quietBudget))
            }
        }
    }

    // MARK: Writing

    /// Runs `body` in one write transaction: it commits when `body` returns and rolls back,
    /// leaving the store as it was, when `body` throws.
    ///
    /// Writes are serialized: this waits for the current write. A write cannot be started from
    /// inside another (`store.misuse`). Blocks the calling thread; from async code use the
    /// `async` overload.
    public func write<T>(_ body: (Transaction) throws -> T) throws -> T {
        if DispatchQueue.getSpecific(key: writerKey) == true {
            throw OntologyError(.storeMisuse, "a write cannot start inside another write")
        }
        return try writerQueue.sync { try performWrite(body) }
    }

    /// Runs `body` in one write transaction on the store's writer queue.
    public func write<T: Sendable>(_ body: @escaping @Sendable (Transaction) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            writerQueue.async {
                continuation.resume(with: Result { try self.performWrite(body) })
            }
        }
    }

    private func performWrite<T>(_ body: (Transaction) throws -> T) throws -> T {
        try retryingLostRaces { try performWriteOnce(body) }
    }

    private func performWriteOnce<T>(_ body: (Transaction) throws -> T) throws -> T {
        guard !isClosed.load(ordering: .relaxed) else { throw OntologyError(.storeClosed, "the store is closed") }
        try checkWritableHere()
        let connection = writer.connection
        // IMMEDIATE takes the write lock now, so the transaction cannot fail later with BUSY.
        try connection.execute("BEGIN IMMEDIATE")
        let transaction = Transaction(writer: writer)
        do {
            let session = try startReplicatedTransaction(transaction)
            let result = try body(transaction)
            try transaction.prepareCommit()
            let position = try appendToLog(transaction, session: session)
            try connection.execute("COMMIT")
            transaction.end()
            committedToLog(at: position)
            publish(transaction)
            return result
        } catch {
            rollBack(transaction)
            throw error
        }
    }

    /// After a failed write: ends the transaction, rolls SQLite back if it is still in one, and
    /// forgets what the transaction resolved.
    func rollBack(_ transaction: Transaction) {
        transaction.end()
        if writer.connection.isInTransaction { try? writer.connection.execute("ROLLBACK") }
        transaction.discard()
    }

    /// After COMMIT: publishes the transaction's terms and memory graphs, runs its commit hooks,
    /// then counts the commit.
    func publish(_ transaction: Transaction) {
        transaction.publishCommitted()
        let hooks = transaction.commitHooks
        transaction.commitHooks = []
        for hook in hooks { hook() }
        // Last: a reader that sees the new count sees the new memory graphs and what the
        // hooks published (the registry's state).
        writer.commits.add(1, ordering: .sequentiallyConsistent)
    }

    /// Copies the WAL into the database file and truncates it, on the writer connection.
    ///
    /// Checkpoints also run by themselves once the WAL passes 1000 pages, beside the writer on
    /// a connection of their own (``Checkpointer``). This one waits up to the busy timeout for
    /// readers that still use old WAL frames, and leaves the WAL in place if they do not finish.
    public func checkpoint() throws {
        if DispatchQueue.getSpecific(key: writerKey) == true {
            throw OntologyError(.storeMisuse, "a checkpoint cannot run inside a write")
        }
        try writerQueue.sync {
            guard !isClosed.load(ordering: .relaxed) else { throw OntologyError(.storeClosed, "the store is closed") }
            try writer.checkpoint()
        }
    }

    /// ``checkpoint()`` on the writer queue.
    public func checkpoint() async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            writerQueue.async {
                continuation.resume(with: Result {
                    guard !self.isClosed.load(ordering: .relaxed) else {
                        throw OntologyError(.storeClosed, "the store is closed")
                    }
                    try self.writer.checkpoint()
                })
            }
        }
    }

    // MARK: Setup

    private static func configureWriter(_ connection: SQLiteConnection, _ configuration: Configuration) throws {
        connection.setBusyTimeout(milliseconds: Int32(clamping: configuration.busyTimeoutMilliseconds))
        // journal_mode=WAL is persistent in the file; page_size cannot change once in WAL mode,
        // so the default 4096 stays. secure_delete=FAST: the Debian build zeroes deleted content
        // (SECURE_DELETE), FAST still does so where it costs no extra I/O. temp_store=MEMORY:
        // sorts for CREATE INDEX and ORDER BY would otherwise go to temporary files.
        // journal_size_limit: after a checkpoint resets it, a WAL grown by a bulk load is
        // truncated back to 64 MiB instead of staying at its largest size.
        try connection.execute("""
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = \(configuration.synchronous);
            PRAGMA secure_delete = FAST;
            PRAGMA temp_store = MEMORY;
            PRAGMA cache_size = -\(configuration.writerCacheMiB * 1024);
            PRAGMA mmap_size = \(configuration.mmapMiB << 20);
            PRAGMA journal_size_limit = \(64 << 20);
            PRAGMA threads = \(max(1, min(8, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))));
            """)
        guard try connection.scalarText("PRAGMA journal_mode").lowercased() == "wal" else {
            throw OntologyError(.storage, "`\(connection.path)` cannot be put in WAL mode")
        }
    }

    private static func configureReader(_ connection: SQLiteConnection, _ configuration: Configuration) throws {
        // Readers rarely wait in WAL mode, but they can: while the writer's close deletes the
        // WAL, or when a crash left a WAL to recover ("Sometimes Queries Return SQLITE_BUSY In
        // WAL Mode", sqlite.org/wal.html). A timeout turns those moments into a short wait.
        connection.setBusyTimeout(milliseconds: Int32(clamping: configuration.busyTimeoutMilliseconds))
        try connection.execute("""
            PRAGMA cache_size = -\(configuration.readerCacheMiB * 1024);
            PRAGMA mmap_size = \(configuration.mmapMiB << 20);
            PRAGMA temp_store = MEMORY;
            """)
    }
}
