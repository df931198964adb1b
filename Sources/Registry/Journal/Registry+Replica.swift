import JSON
import Ontology

/// Cluster mode: the registry's memory follows the entries other nodes wrote.
///
/// The store applies their changesets and records (``QuadStore/catchUpReplica(limit:)``); this
/// turns the registry's own records into the same in-memory changes a local write makes, rebuilds
/// the registrations' graphs, takes the events from the journal rows the entries carried, and
/// hands the other modules' records to their owners (``Journal/onRemoteChanges(_:)``).
extension Registry {
    /// Installs the observer; called by `init` when the store is a replica.
    func followReplica() {
        store.onReplicaApplication { [weak self] application, transaction in
            try self?.applyReplicated(application, in: transaction)
        }
    }

    private func applyReplicated(_ application: ReplicaApplication, in transaction: QuadStore.Transaction) throws {
        let decoder = JSONValueDecoder(rejectsUnknownFields: false)
        let published = state.withLock { $0 }
        var pending = Pending(index: published.index, time: now())
        var others: [RecordChange] = []
        func current(_ id: String) -> Registration? {
            if let changed = pending.registrations[id] { return changed }
            return published.registrations[id]
        }
        do {
            for record in application.records {
                switch record.collection {
                case Self.serviceCollection:
                    if let value = record.value {
                        let registration = try decoder.decode(Registration.self, from: Array(value.utf8))
                        try transaction.replaceInMemory(graph: IRI(registration.graphIRI), building: try RegistrationGraph.builder(of: registration))
                        pending.registrations[record.key] = registration
                        let ttl = registration.manifest.instance.ttlMilliseconds
                        pending.leases[record.key] = .some(ttl.map { registration.leaseExpires ?? pending.time + $0 })
                    } else {
                        if let old = current(record.key) { try transaction.dropInMemory(graph: IRI(old.graphIRI)) }
                        pending.registrations[record.key] = .some(nil)
                        pending.leases[record.key] = .some(nil)
                    }
                case Self.hostCollection:
                    let host = try record.value.map { try decoder.decode(HostRecord.self, from: Array($0.utf8)) }
                    pending.hosts[record.key] = .some(host)
                    if let host { pending.hostSeen[record.key] = max(host.lastSeen, published.hostSeen[record.key] ?? 0) }
                case Self.pinCollection:
                    if let value = record.value {
                        let pin = try decoder.decode(NamePin.self, from: Array(value.utf8))
                        pending.pins[pin.name] = pin
                    }
                default:
                    others.append(record)
                }
            }
            for entry in try transaction.journal(after: published.index) {
                pending.events.append(try decoder.decode(RegistryEvent.self, from: Array(entry.value.utf8)))
                pending.index = entry.sequence
            }
        } catch let error as OntologyError {
            throw error
        } catch {
            throw RegistryError(.storage, "a log entry holds a record this node cannot read: \(error)")
        }
        let changes = pending
        transaction.afterCommit { [self] in
            state.withLock { changes.apply(to: &$0, retention: eventRetention) }
            signal.publish(changes.index, events: changes.events)
            if !others.isEmpty {
                for handler in remoteHandlers.withLock({ $0 }) { handler(others) }
            }
        }
    }

    public func onRemoteChanges(_ handler: @escaping @Sendable ([RecordChange]) -> Void) {
        remoteHandlers.withLock { $0.append(handler) }
    }
}
