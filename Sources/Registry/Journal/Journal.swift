import Ontology

/// The site's change log and the keyed records that go with it: what every part of the daemon
/// that keeps state (the registry, the access service, tokens) writes through, and what
/// watchers follow.
///
/// A write is a set of record changes and the events that announce them, committed together:
/// after ``commit(_:events:check:applied:)`` returns, both are durable and every reader sees
/// them; if it throws, neither happened. Every event has an index, strictly increasing over the
/// whole site (the *revision* clients see as `X-Registryd-Index` and SSE event ids).
///
/// ``Registry`` is the first conformer (the SQLite store, one process). A replicated backend
/// conforms by committing the same batches to its log and applying them in log order; nothing
/// above this protocol (the access service, tokens, the HTTP layer) changes.
public protocol Journal: Sendable {
    /// The index of the last change.
    var index: Int64 { get }

    /// The records of a collection, as committed, ordered by key; read on the store's reader
    /// threads, never on a concurrency thread.
    func records(in collection: String) async throws -> [StoredRecord]

    /// Writes the records and journals the events atomically. `check` runs first, in commit
    /// order with every other write, and may throw to write nothing; `applied` runs after the
    /// commit, in commit order. Returns the index of the last event (the current index when
    /// there is none).
    @discardableResult
    func commit(_ changes: [RecordChange], events: [EventSpec],
                check: @escaping @Sendable () throws -> Void,
                applied: @escaping @Sendable () -> Void) async throws -> Int64

    /// Events after `index`, oldest first, at most `limit`; a ``RegistryEvent/Kind/reset``
    /// first when events after `index` were already discarded.
    func events(after index: Int64, limit: Int) -> [RegistryEvent]

    /// Waits until the index passes `index` or `timeout` runs out.
    func waitForChange(after index: Int64, timeout: Duration) async

    /// Runs `handler` after every commit that applied record changes written by other nodes
    /// (cluster mode), with those changes in log order, so that a module keeping records in
    /// memory follows them. A single-node journal never calls it.
    func onRemoteChanges(_ handler: @escaping @Sendable ([RecordChange]) -> Void)

    // MARK: Leases
    //
    // A lease keeps a record alive while its holder renews it (a registration with
    // `instance.ttl`; its key is the record's). The writer grants it with the record and ends
    // it when the record goes. A renewal is not a change: no event, no index. The SQLite
    // journal keeps leases in memory and grants each a fresh TTL at start; a replicated
    // journal keeps them where every node sees them (etcd leases), so that one node expires
    // each, once.

    /// When the lease on `key` runs out (milliseconds since 1970); nil when there is none.
    func leaseExpiry(of key: String) -> Int64?

    /// Extends the lease on `key` to `ttl` milliseconds from now; returns the new expiry, or
    /// nil when `key` holds no lease.
    func renewLease(of key: String, ttl: Int64) -> Int64?

    /// The keys whose leases ran out by now.
    func expiredLeases() -> [String]
}

extension Journal {
    /// ``commit(_:events:check:applied:)`` with nothing to check before or do after.
    @discardableResult
    public func commit(_ changes: [RecordChange], events: [EventSpec]) async throws -> Int64 {
        try await commit(changes, events: events, check: {}, applied: {})
    }

    /// ``commit(_:events:check:applied:)`` with nothing to check before.
    @discardableResult
    public func commit(_ changes: [RecordChange], events: [EventSpec], applied: @escaping @Sendable () -> Void) async throws -> Int64 {
        try await commit(changes, events: events, check: {}, applied: applied)
    }

    /// Events after `index`, oldest first, at most 1000.
    public func events(after index: Int64) -> [RegistryEvent] { events(after: index, limit: 1000) }
}
