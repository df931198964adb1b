import Foundation
import JSON
import Ontology
import Synchronization

/// The service registry: registrations, hosts, name pins and the change log, kept in the quad
/// store (each registration its own named graph) and mirrored in memory for fast reads.
///
/// Every change runs in one store transaction that writes the graph, the record and the
/// event together; the in-memory state changes after COMMIT, in commit order (on the store's
/// writer queue), so a reader never sees a change that could still roll back, and a change
/// acknowledged to a client is on disk (it survives `kill -9`).
///
/// Lease renewals and host heartbeats only touch memory: they happen every few seconds per
/// instance and change nothing a client reads back but an expiry time. After a restart every
/// lease and host starts a fresh period, as Consul's TTL checks do.
public final class Registry: Sendable {
    let store: QuadStore
    let state: Mutex<State>
    let signal: ChangeSignal
    /// What other modules run when entries of other nodes changed their records (cluster mode).
    let remoteHandlers = Mutex<[@Sendable ([RecordChange]) -> Void]>([])
    /// The health checks' last results, by registration and check id: kept in memory (as
    /// Consul keeps its checks' outputs), by the node that runs the checks.
    let checkStates = Mutex<[String: [String: HealthCheckState]]>([:])
    private let shuttingDown = Atomic<Bool>(false)
    /// Wall-clock milliseconds since 1970.
    /// The wall clock, one ``Ontology/Timestamp`` type shared with the access service.
    let clock: @Sendable () -> Timestamp
    /// Milliseconds since 1970 now: what records and leases hold.
    func now() -> Int64 { clock().milliseconds }
    /// How many past events the registry keeps for watchers that reconnect.
    public let eventRetention: Int

    static let serviceCollection = "service"
    static let hostCollection = "host"
    static let pinCollection = "pin"

    struct State {
        var registrations: [String: Registration] = [:]
        /// Lease expiry per registration with a lease (milliseconds since 1970).
        var leases: [String: Int64] = [:]
        var hosts: [String: HostRecord] = [:]
        /// Last heartbeat per host.
        var hostSeen: [String: Int64] = [:]
        var pins: [ServiceName: NamePin] = [:]
        var names = NameIndex()
        /// Registrations per service name: how many services there are, without a pass over
        /// every registration (the gauges are read every few seconds).
        var serviceCounts: [ServiceName: Int] = [:]
        /// The registrations of each Thing Description, by the TD's `id` (one, unless
        /// `/v1/services` registered several instances of the same Thing).
        var things: [String: Set<String>] = [:]
        /// The ids of registrations with a health check.
        var checked: Set<String> = []
        /// The IRIs outside their own namespace that registrations describe, with how many
        /// registrations of each site claim each (``RegistrationTrust``).
        var claims: [String: [String: Int]] = [:]
        /// Registrations per site, for the rule that an `http(s)` IRI on a site's host is the site's.
        var sites: [String: Int] = [:]
        /// The MQTT topics (or filters) registrations serve channels on, by first level, then
        /// site, with how many registrations serve each: a registration's topics are compared
        /// only with other sites' topics that can overlap them (``Registry/checkTopics(of:site:id:state:)``).
        var topics: [String: [String: [String: Int]]] = [:]
        var index: Int64 = 0
        /// Recent events, oldest first.
        var events: [RegistryEvent] = []

        /// Stores, replaces or (with nil) removes a registration, keeping the indexes over them.
        mutating func put(_ registration: Registration?, id: String) {
            if let old = registrations[id] {
                names.remove(old)
                let remaining = serviceCounts[old.name, default: 1] - 1
                serviceCounts[old.name] = remaining > 0 ? remaining : nil
                checked.remove(id)
                if let thing = old.thingID {
                    things[thing]?.remove(id)
                    if things[thing]?.isEmpty == true { things[thing] = nil }
                }
                let site = old.name.site
                for iri in RegistrationTrust.claimedIRIs(of: old) {
                    let left = claims[iri]?[site].map { $0 - 1 } ?? 0
                    claims[iri]?[site] = left > 0 ? left : nil
                    if claims[iri]?.isEmpty == true { claims[iri] = nil }
                }
                sites[site] = sites[site, default: 1] > 1 ? sites[site, default: 1] - 1 : nil
                for topic in Registry.mqttTopics(of: old.manifest) {
                    let bucket = Registry.topicBucket(topic)
                    let left = (topics[bucket]?[site]?[topic] ?? 1) - 1
                    topics[bucket]?[site]?[topic] = left > 0 ? left : nil
                    if topics[bucket]?[site]?.isEmpty == true { topics[bucket]?[site] = nil }
                    if topics[bucket]?.isEmpty == true { topics[bucket] = nil }
                }
            }
            registrations[id] = registration
            guard let registration else { return }
            names.add(registration)
            serviceCounts[registration.name, default: 0] += 1
            if !registration.manifest.instance.allChecks.isEmpty { checked.insert(id) }
            if let thing = registration.thingID { things[thing, default: []].insert(id) }
            for iri in RegistrationTrust.claimedIRIs(of: registration) { claims[iri, default: [:]][registration.name.site, default: 0] += 1 }
            sites[registration.name.site, default: 0] += 1
            for topic in Registry.mqttTopics(of: registration.manifest) {
                topics[Registry.topicBucket(topic), default: [:]][registration.name.site, default: [:]][topic, default: 0] += 1
            }
        }
    }

    /// Opens the registry on `store`, loading what it holds.
    /// - Parameter buildingGraphs: false for a process that only uses the registry as its
    ///   ``Journal`` (the offline `token` commands): the registrations' graphs, which take most
    ///   of the time to open a large registry, are then not built and queries do not see them.
    public init(store: QuadStore, eventRetention: Int = 10_000, buildingGraphs: Bool = true,
                now: @escaping @Sendable () -> Timestamp = { .now }) throws {
        self.store = store
        self.clock = now
        self.eventRetention = eventRetention
        let decoder = JSONValueDecoder(rejectsUnknownFields: false)
        var loaded = State()
        let start = now().milliseconds
        try store.read { snapshot in
            for record in try snapshot.records(in: Self.serviceCollection) {
                let registration = try decoder.decode(Registration.self, from: Array(record.value.utf8))
                loaded.put(registration, id: registration.id)
                if let ttl = registration.manifest.instance.ttlMilliseconds {
                    loaded.leases[registration.id] = max(registration.leaseExpires ?? 0, start + ttl)
                }
            }
            for record in try snapshot.records(in: Self.hostCollection) {
                let host = try decoder.decode(HostRecord.self, from: Array(record.value.utf8))
                loaded.hosts[host.id] = host
                loaded.hostSeen[host.id] = max(host.lastSeen, start)
            }
            for record in try snapshot.records(in: Self.pinCollection) {
                let pin = try decoder.decode(NamePin.self, from: Array(record.value.utf8))
                loaded.pins[pin.name] = pin
            }
            loaded.index = try snapshot.lastJournalSequence()
            let first = max(0, loaded.index - Int64(eventRetention))
            loaded.events = try snapshot.journal(after: first).map {
                try decoder.decode(RegistryEvent.self, from: Array($0.value.utf8))
            }
        }
        if buildingGraphs { try Self.buildGraphs(of: loaded.registrations.values, in: store) }
        self.state = Mutex(loaded)
        self.signal = ChangeSignal(index: loaded.index)
        if store.isReplica { followReplica() }
    }

    /// Builds the registrations' graphs in the store's memory (``MemoryGraphs``).
    ///
    /// A registration's graph is derived from its record, so it is not written to the quad
    /// tables (which would cost most of a registration's time) but kept in memory and built
    /// again here, at every start. Graphs a store of an earlier version kept in its tables
    /// are dropped from there first, once.
    static func buildGraphs<C: Collection>(of registrations: C, in store: QuadStore) throws where C.Element == Registration {
        let stored = try store.read { snapshot in
            try snapshot.namedGraphs().filter {
                $0.iri?.value.hasPrefix(ManifestGraph.graphPrefix) == true && !snapshot.isMemoryGraph($0)
            }
        }
        if !stored.isEmpty {
            try store.write { transaction in
                for graph in stored { _ = try transaction.drop(graph: .named(graph)) }
            }
        }
        // One commit per chunk, so that indexing builds each chunk on every core and holds
        // only one chunk's prepared graphs at a time (one batch of 48,000 held 1.4 GB).
        let all = Array(registrations)
        for chunkStart in stride(from: 0, to: all.count, by: MemoryGraphs.batchSize) {
            store.memoryGraphs.apply(try all[chunkStart..<min(chunkStart + MemoryGraphs.batchSize, all.count)].map { registration in
                MemoryGraphs.Change.build(graph: IRI(registration.graphIRI), triples: try RegistrationGraph.builder(of: registration))
            })
        }
        // Indexed now rather than by the first reader: a started daemon answers at once.
        store.memoryGraphs.catchUp()
    }

    /// Wakes every long-poll and event stream for good: the daemon is stopping, and open
    /// streams must end so that the server can close its connections.
    public func beginShutdown() {
        shuttingDown.store(true, ordering: .sequentiallyConsistent)
        signal.publish(.max)
    }

    /// Whether ``beginShutdown()`` was called.
    public var isShuttingDown: Bool { shuttingDown.load(ordering: .sequentiallyConsistent) }

    /// The index of the last change.
    public var index: Int64 { state.withLock { $0.index } }

    /// Waits until the index passes `index` or `timeout` runs out (long-poll).
    public func waitForChange(after index: Int64, timeout: Duration) async {
        await signal.wait(after: index, timeout: timeout)
    }

    /// Waits until an event after `index` matches `filter`, or `timeout` runs out: a filtered
    /// long-poll or event stream, which changes to other names or kinds do not wake. A watcher
    /// whose events were discarded returns at once (it must re-list).
    public func waitForChange(after index: Int64, matching filter: WatchFilter, timeout: Duration) async {
        guard !filter.isEmpty else { return await waitForChange(after: index, timeout: timeout) }
        let deadline = ContinuousClock.now + timeout
        var checked = index
        while !isShuttingDown {
            let seen = signal.index
            if seen > checked {
                if hasEvent(after: checked, through: seen, matching: filter) { return }
                checked = seen
            }
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { return }
            await signal.wait(after: checked, matching: filter, timeout: remaining)
        }
    }

    /// Whether an event in `(after, through]` matches `filter`, or some of them were discarded.
    func hasEvent(after index: Int64, through last: Int64, matching filter: WatchFilter) -> Bool {
        state.withLock { state in
            let oldest = state.events.first?.index ?? state.index + 1
            if index + 1 < oldest { return true }
            let start = state.events.partitionPoint { $0.index <= index }
            for event in state.events[start...] {
                if event.index > last { break }
                if filter.matches(event) { return true }
            }
            return false
        }
    }

    /// Watchers parked now and woken so far (`/metrics`).
    public var watchers: (waiting: Int, wakeups: Int64) { signal.watchers }

    // MARK: Writing

    /// What one write changes, applied to the in-memory state after COMMIT.
    struct Pending {
        var index: Int64
        let time: Int64
        var registrations: [String: Registration?] = [:]
        var leases: [String: Int64?] = [:]
        var hosts: [String: HostRecord?] = [:]
        var hostSeen: [String: Int64] = [:]
        var pins: [ServiceName: NamePin] = [:]
        var events: [RegistryEvent] = []
        /// How the claims of ``State/claims`` change, by IRI and site, for the later writes
        /// of the same group (the published claims follow from the registrations at COMMIT).
        var claimChanges: [String: [String: Int]] = [:]

        mutating func changeClaims(_ iris: Set<String>, site: String, by delta: Int) {
            for iri in iris { claimChanges[iri, default: [:]][site, default: 0] += delta }
        }

        mutating func event(_ type: RegistryEvent.Kind, id: String?, name: String?, version: String? = nil,
                            health: HealthStatus? = nil, generation: Int64? = nil, thing: String? = nil) -> Int64 {
            index += 1
            events.append(RegistryEvent(index: index, type: type, id: id, name: name, version: version,
                                        health: health, generation: generation, time: time, thing: thing))
            return index
        }

        /// Lays a later write's changes over these.
        mutating func merge(_ later: Pending) {
            index = later.index
            registrations.merge(later.registrations) { $1 }
            leases.merge(later.leases) { $1 }
            hosts.merge(later.hosts) { $1 }
            hostSeen.merge(later.hostSeen) { $1 }
            pins.merge(later.pins) { $1 }
            for (iri, sites) in later.claimChanges {
                for (site, delta) in sites { claimChanges[iri, default: [:]][site, default: 0] += delta }
            }
        }

        func apply(to state: inout State, retention: Int) {
            for (id, registration) in registrations {
                state.put(registration, id: id)
            }
            for (id, lease) in leases { state.leases[id] = lease }
            for (id, host) in hosts {
                state.hosts[id] = host
                if host == nil { state.hostSeen[id] = nil }
            }
            for (id, seen) in hostSeen { state.hostSeen[id] = seen }
            for (name, pin) in pins { state.pins[name] = pin }
            state.index = index
            state.events.append(contentsOf: events)
            if state.events.count > retention + retention / 4 {
                state.events.removeFirst(state.events.count - retention)
            }
        }
    }

    /// Runs `body` in a store transaction with the current state; journals its events and
    /// publishes its changes after COMMIT.
    ///
    /// The write may share its transaction with other writes (group commit): `body` then sees the
    /// state with the changes of the writes before it in the group, and its own changes are
    /// handed on to the writes after it, in the transaction's user info.
    func write<T: Sendable>(_ body: @escaping @Sendable (QuadStore.Transaction, StateView, inout Pending) throws -> T) async throws -> T {
        // Read here, on the caller's task: the group commit runs `body` on the writer's.
        let author = ChangeAuthor.token
        do {
            return try await store.groupedWrite { transaction in
                let batch = transaction[Self.batchKey] as? Pending
                let current = StateView(published: self.state.withLock { $0 }, before: batch)
                var pending = Pending(index: current.index, time: self.now())
                let result = try body(transaction, current, &pending)
                guard !pending.events.isEmpty else { return result }
                if let author {
                    for position in pending.events.indices { pending.events[position].token = author }
                }
                for event in pending.events {
                    try transaction.appendJournal(event.compactJSON, sequence: event.index)
                }
                // Trim now and then, not on every write: the journal keeps 2x the retention at most.
                let retention = Int64(self.eventRetention)
                let first = pending.events[0].index
                if (first...pending.index).contains(where: { $0 % 1000 == 0 }), pending.index > 2 * retention {
                    try transaction.trimJournal(through: pending.index - retention)
                }
                var merged = batch ?? Pending(index: current.index, time: pending.time)
                merged.merge(pending)
                transaction[Self.batchKey] = merged
                let apply = pending
                transaction.afterCommit {
                    self.state.withLock { apply.apply(to: &$0, retention: self.eventRetention) }
                    self.signal.publish(apply.index, events: apply.events)
                }
                return result
            }
        } catch let error as RegistryError {
            throw error
        } catch let error as OntologyError {
            throw RegistryError(converting: error)
        }
    }

    /// The transaction user-info key of the group's pending changes.
    static let batchKey = "registry.pending"

    static func encode<T: Encodable>(_ value: T) throws -> String {
        try CompactJSONEncoder.encode(value)
    }

    // MARK: Events

    public func events(after index: Int64, limit: Int) -> [RegistryEvent] {
        state.withLock { state in
            guard index < state.index else { return [] }
            let oldest = state.events.first?.index ?? state.index + 1
            var result: [RegistryEvent] = []
            if index + 1 < oldest {
                result.append(RegistryEvent(index: oldest - 1, type: .reset, id: nil, name: nil, time: now()))
            }
            let start = state.events.partitionPoint { $0.index <= index }
            result.append(contentsOf: state.events[start...].prefix(limit))
            return result
        }
    }
}

extension Array {
    /// The first index whose element does not satisfy `belongs`, for a predicate that is true
    /// for a prefix of the array (binary search).
    func partitionPoint(_ belongs: (Element) -> Bool) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if belongs(self[middle]) { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
