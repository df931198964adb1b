import Synchronization

extension QuadStore {
    /// The writer connection and what lives with it. Used only on the writer queue (and by the
    /// bulk loader's encoding thread while the queue's thread waits for it).
    final class Writer: @unchecked Sendable {
        // @unchecked: `nextID` and the connection are touched only by the thread that runs the
        // current write transaction (see above); the writer queue serializes those.
        let connection: SQLiteConnection
        let dictionary: TermDictionary
        /// The next term id to hand out; read from the table on first use. Never decreases, so
        /// ids of rolled-back or deleted rows are not reused while the store is open.
        private var nextID: Int64?

        /// The graphs kept in memory, which transactions change at COMMIT.
        let memoryGraphs: MemoryGraphs
        /// How many transactions have committed since the store opened (``QuadStore/commitCount``).
        let commits = Atomic<UInt64>(0)
        /// The link to the site's log, when the store is a cluster replica.
        var replication: Replication?

        init(connection: SQLiteConnection, cache: TermCache, memoryGraphs: MemoryGraphs) {
            self.connection = connection
            self.dictionary = TermDictionary(connection: connection, cache: cache)
            self.memoryGraphs = memoryGraphs
        }

        func allocateID() throws -> TermID {
            let id = try nextID ?? (connection.scalar("SELECT ifnull(max(id), 0) FROM term") + 1)
            nextID = id + 1
            return TermID(rawValue: id)
        }

        /// `PRAGMA wal_checkpoint(TRUNCATE)`: copies the WAL into the database and empties it,
        /// waiting up to the busy timeout for readers of old frames.
        func checkpoint() throws {
            _ = try connection.scalar("PRAGMA wal_checkpoint(TRUNCATE)")
        }

        /// Moves the next id past every stored term, after rows were written with ids chosen
        /// elsewhere (a replica applying another node's changeset).
        func skipPastStoredIDs() throws {
            let stored = try connection.scalar("SELECT ifnull(max(id), 0) FROM term") + 1
            nextID = max(nextID ?? stored, stored)
        }

        /// Reserves `count` consecutive ids and returns the first.
        func allocateIDs(_ count: Int) throws -> Int64 {
            let first = try allocateID().rawValue
            nextID = first + Int64(count)
            return first
        }
    }
}
