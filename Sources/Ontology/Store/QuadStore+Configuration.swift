extension QuadStore {
    /// How a ``QuadStore`` opens its database. The defaults suit the registry daemon.
    public struct Configuration: Sendable {
        /// What a committed write must survive.
        public enum Durability: Sendable {
            /// Survives the process being killed (`kill -9`, a crash), but the last commits may
            /// roll back if the machine loses power or the OS crashes: WAL with
            /// `synchronous=NORMAL`. SQLite: "A transaction committed in WAL mode with
            /// synchronous=NORMAL might roll back following a power loss or system crash", while
            /// the database "will not corrupt" and an application crash loses nothing, because
            /// each commit is in the WAL file (in the OS page cache) before `COMMIT` returns
            /// (sqlite.org/pragma.html#pragma_synchronous). This is DESIGN.md's bar
            /// ("an acknowledged registration survives `kill -9`") at the lowest cost: no fsync
            /// per commit, only at checkpoints.
            case processCrash
            /// Also survives power loss: `synchronous=FULL`, an fsync of the WAL at every commit.
            case powerLoss
        }

        /// What a committed write survives; by default a process crash (`synchronous=NORMAL`).
        public var durability: Durability = .processCrash

        /// The `PRAGMA synchronous` value of `durability`, for every connection that writes.
        var synchronous: String { durability == .powerLoss ? "FULL" : "NORMAL" }
        /// The most read-only connections open at once; a `read` waits when all are busy.
        public var maximumReaderCount: Int = 4
        /// The writer's page cache, in MiB (SQLite's default is 2 MiB).
        ///
        /// Small on purpose: every COMMIT walks the cache's hash table (SQLite's
        /// `pcache1TruncateUnsafe`, from `pager_end_transaction`), so its cost grows with the
        /// cache. With 64 MiB that walk was 5% of the daemon's CPU under a stream of
        /// registrations (10% of a commit-heavy Python loop on the same libsqlite3); with 8 MiB,
        /// 1%. Readers and bulk loads have their own caches.
        public var writerCacheMiB: Int = 8
        /// Each reader's page cache, in MiB.
        public var readerCacheMiB: Int = 16
        /// The page cache during a bulk load, in MiB: large enough that the B-trees being built
        /// stay in memory until commit.
        public var bulkLoadCacheMiB: Int = 512
        /// How much of the file each connection maps into memory, in MiB (0 turns it off).
        /// Reads through the map skip a copy into SQLite's page cache.
        public var mmapMiB: Int = 256
        /// How many terms the shared term cache keeps in each direction.
        public var termCacheCapacity: Int = 100_000
        /// How long a connection waits for a lock before reporting it busy, in milliseconds.
        public var busyTimeoutMilliseconds: Int = 5_000

        public init() {}
    }
}
