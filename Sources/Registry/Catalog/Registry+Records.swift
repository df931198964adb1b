import Foundation
import Ontology

/// Keyed records other services of the daemon (the access service) keep in the registry's
/// store, written with their change events in one transaction, like registrations.
extension Registry {
    /// One record to write (or delete, when `value` is nil) and the event that announces it.
    public struct RecordChange: Sendable {
        public var collection: String
        public var key: String
        public var value: String?

        public init(collection: String, key: String, value: String?) {
            self.collection = collection
            self.key = key
            self.value = value
        }
    }

    /// An event to journal: its kind, the id and name it is about, and a generation.
    public struct EventSpec: Sendable {
        public var kind: RegistryEvent.Kind
        public var id: String?
        public var name: String?
        public var generation: Int64?

        public init(_ kind: RegistryEvent.Kind, id: String? = nil, name: String? = nil, generation: Int64? = nil) {
            self.kind = kind
            self.id = id
            self.name = name
            self.generation = generation
        }
    }

    /// The records of a collection, as stored.
    public func records(in collection: String) throws -> [StoredRecord] {
        do {
            return try store.read { try $0.records(in: collection) }
        } catch let error as OntologyError {
            throw RegistryError(.storage, error.message)
        }
    }

    /// Writes the records and journals the events atomically; `check` runs first inside the
    /// transaction and may throw to write nothing; `applied` runs after COMMIT, in commit
    /// order. Returns the index of the last event.
    @discardableResult
    public func commit(_ changes: [RecordChange], events: [EventSpec],
                       check: @escaping @Sendable () throws -> Void = {},
                       applied: @escaping @Sendable () -> Void = {}) async throws -> Int64 {
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
}
