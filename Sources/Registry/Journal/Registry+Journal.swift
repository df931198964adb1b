import Ontology

/// The registry's store is the embedded journal: other modules' records and events are
/// written in the same SQLite transactions (and group commits) as registrations, so one
/// index orders every change of the site.
extension Registry: Journal {
    public func records(in collection: String) async throws -> [StoredRecord] {
        do {
            return try await store.read { try $0.records(in: collection) }
        } catch let error as OntologyError {
            throw RegistryError(.storage, error.message)
        }
    }

    @discardableResult
    public func commit(_ changes: [RecordChange], events: [EventSpec],
                       check: @escaping @Sendable () throws -> Void,
                       applied: @escaping @Sendable () -> Void) async throws -> Int64 {
        try await write { transaction, _, pending in
            try check()
            transaction.afterCommit(applied)
            for change in changes {
                if let value = change.value {
                    try transaction.putRecord(value, in: change.collection, key: change.key)
                } else {
                    _ = try transaction.deleteRecord(in: change.collection, key: change.key)
                }
            }
            var last = pending.index
            for event in events {
                last = pending.event(event.kind, id: event.id, name: event.name, generation: event.generation)
            }
            return last
        }
    }

    public func leaseExpiry(of key: String) -> Int64? {
        state.withLock { $0.leases[key] }
    }

    public func renewLease(of key: String, ttl: Int64) -> Int64? {
        let expires = now() + ttl
        return state.withLock { state in
            guard state.leases[key] != nil else { return nil }
            state.leases[key] = expires
            return expires
        }
    }

    /// Moves the lease on `key` to `expires` if that is later (a renewal another cluster node
    /// took); a key without a lease stays without.
    public func extendLease(of key: String, to expires: Int64) {
        state.withLock { state in
            guard let current = state.leases[key], current < expires else { return }
            state.leases[key] = expires
        }
    }

    public func expiredLeases() -> [String] {
        let time = now()
        return state.withLock { state in state.leases.filter { $0.value < time }.map(\.key) }
    }
}
