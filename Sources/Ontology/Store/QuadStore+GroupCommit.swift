import Dispatch

/// Group commit: writes submitted while the writer is busy share one transaction and one
/// COMMIT, each in its own savepoint.
///
/// A commit writes every page the transaction dirtied to the WAL, and small writes to the same
/// indexes dirty mostly the same pages; sharing the commit divides that cost between them (the
/// way etcd batches puts into one WAL sync). Each write still succeeds or fails alone: one that
/// throws is rolled back to its savepoint, and its caller gets its error while the others commit.
/// A write returns only after the COMMIT that holds it, so it is as durable as ``write(_:)``.
extension QuadStore {
    /// One waiting write: runs its body and hands its outcome to its caller.
    struct GroupedWrite: Sendable {
        /// Runs the body; the outcome is kept inside the closure until `finish`.
        let execute: @Sendable (Transaction) -> Bool
        /// Resumes the caller: with the kept outcome, or with `error` when the COMMIT failed.
        let finish: @Sendable ((any Error)?) -> Void
    }

    /// A write's outcome between its body and its caller's resumption.
    final class Outcome<T>: @unchecked Sendable {
        // @unchecked: set and read only on the writer queue, one after the other.
        var result: Result<T, any Error>?
    }

    struct GroupQueue: ~Copyable {
        var waiting: [GroupedWrite] = []
        var drainScheduled = false
    }

    /// The most writes that share one transaction.
    static let maximumGroup = 64

    /// Like the async ``write(_:)``, but the write may share its transaction and COMMIT with
    /// other grouped writes submitted meanwhile; it runs in a savepoint of its own, so when
    /// `body` throws only its own changes roll back. Values one write leaves in the
    /// transaction's ``Transaction/subscript(key:)`` are seen by the next writes of the group.
    public func groupedWrite<T: Sendable>(_ body: @escaping @Sendable (Transaction) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let outcome = Outcome<T>()
            let item = GroupedWrite(
                execute: { transaction in
                    do {
                        outcome.result = .success(try body(transaction))
                        return true
                    } catch {
                        outcome.result = .failure(error)
                        return false
                    }
                },
                finish: { commitError in
                    if let commitError {
                        continuation.resume(throwing: commitError)
                    } else {
                        continuation.resume(with: outcome.result ?? .failure(OntologyError(.storeMisuse, "a grouped write did not run")))
                    }
                })
            let schedule = group.withLock { queue -> Bool in
                queue.waiting.append(item)
                guard !queue.drainScheduled else { return false }
                queue.drainScheduled = true
                return true
            }
            if schedule { writerQueue.async { self.drainGroup() } }
        }
    }

    /// Runs the waiting writes in one transaction (on the writer queue).
    private func drainGroup() {
        let batch = group.withLock { queue -> [GroupedWrite] in
            let taken = Array(queue.waiting.prefix(Self.maximumGroup))
            queue.waiting.removeFirst(taken.count)
            if queue.waiting.isEmpty {
                queue.drainScheduled = false
            } else {
                // More than one group's worth: the rest runs next, after this COMMIT.
                writerQueue.async { self.drainGroup() }
            }
            return taken
        }
        guard !batch.isEmpty else { return }
        do {
            try commitGroup(batch)
            for item in batch { item.finish(nil) }
        } catch {
            for item in batch { item.finish(error) }
        }
    }

    private func commitGroup(_ batch: [GroupedWrite]) throws {
        // In cluster mode a group that lost the race for its log position runs again, whole.
        try retryingLostRaces { try commitGroupOnce(batch) }
    }

    private func commitGroupOnce(_ batch: [GroupedWrite]) throws {
        guard !isClosed.load(ordering: .relaxed) else { throw OntologyError(.storeClosed, "the store is closed") }
        try checkWritableHere()
        let connection = writer.connection
        // Prepared once and cached: `execute` parses its SQL on every call, and a group runs
        // two of these per write.
        func run(_ sql: String) throws { try connection.withStatement(sql) { try $0.run() } }
        try run("BEGIN IMMEDIATE")
        let transaction = Transaction(writer: writer)
        do {
            let session = try startReplicatedTransaction(transaction)
            for item in batch {
                try run("SAVEPOINT grouped_write")
                let saved = transaction.saveBookkeeping()
                if item.execute(transaction) {
                    try run("RELEASE grouped_write")
                } else {
                    try connection.execute("ROLLBACK TO grouped_write; RELEASE grouped_write")
                    transaction.restoreBookkeeping(saved)
                }
            }
            try transaction.prepareCommit()
            let position = try appendToLog(transaction, session: session)
            try run("COMMIT")
            transaction.end()
            committedToLog(at: position)
            publish(transaction)
        } catch {
            rollBack(transaction)
            throw error
        }
    }
}
