import Ontology

/// What a host registers: the device or server instances run on.
public struct HostSpec: Sendable {
    public var id: String
    public var architecture: String?
    public var operatingSystem: String?
    public var tier: DeploymentTier
    public var location: String?
    public var ttlMilliseconds: Int64

    public init(id: String, architecture: String? = nil, operatingSystem: String? = nil, tier: DeploymentTier = .edge,
                location: String? = nil, ttlMilliseconds: Int64 = 30_000) {
        self.id = id
        self.architecture = architecture
        self.operatingSystem = operatingSystem
        self.tier = tier
        self.location = location
        self.ttlMilliseconds = ttlMilliseconds
    }
}

/// Whether the caller may change an existing host (its owner, or an admin).
public typealias HostAuthorization = @Sendable (HostRecord) -> Bool

extension Registry {
    /// Registers or replaces a host; it is online until its heartbeats stop for its TTL.
    /// - Parameters:
    ///   - owner: the token that registers it, recorded on a new host.
    ///   - authorize: whether the caller may replace the host when it exists.
    public func registerHost(_ spec: HostSpec, owner: String? = nil,
                             authorize: @escaping HostAuthorization = { _ in true }) async throws -> HostRecord {
        guard ManifestRules.isIdentifier(spec.id) else {
            throw RegistryError(.invalidRequest, "`\(spec.id)` is not a host id: 1 to 128 of letters, digits and . _ -")
        }
        return try await write { transaction, state, pending in
            let existing = state.hosts[spec.id]
            if let existing, !authorize(existing) {
                throw RegistryError(.forbidden, "the host `\(spec.id)` belongs to another token")
            }
            var host = HostRecord(id: spec.id, architecture: spec.architecture, operatingSystem: spec.operatingSystem, tier: spec.tier,
                                  location: spec.location, ttlMilliseconds: spec.ttlMilliseconds, lastSeen: pending.time, online: true,
                                  created: existing?.created ?? pending.time, index: 0, owner: existing?.owner ?? owner)
            host.index = pending.event(.hostRegistered, id: spec.id, name: nil)
            try Self.store(host, transaction: transaction, pending: &pending)
            return host
        }
    }

    static func store(_ host: HostRecord, transaction: QuadStore.Transaction, pending: inout Pending) throws {
        _ = try transaction.replace(graph: .iri(HostRecord.iri(id: host.id)), with: Self.triples(of: host))
        try transaction.putRecord(try encode(host), in: hostCollection, key: host.id)
        pending.hosts[host.id] = host
        pending.hostSeen[host.id] = host.lastSeen
    }

    static func triples(of host: HostRecord) -> [Triple] {
        let node = Term.iri(HostRecord.iri(id: host.id))
        var triples = [
            Triple(node, RDF.type, .iri(MS.Host)),
            Triple(node, IRI(MS.name), .literal(Literal(host.id))),
            Triple(node, IRI(MS.deploymentTier), .iri(MS.tier(host.tier))),
            Triple(node, IRI(MS.hostStatus), .iri(host.online ? MS.Online : MS.Offline)),
        ]
        if let value = host.architecture { triples.append(Triple(node, IRI(MS.architecture), .literal(Literal(value)))) }
        if let value = host.operatingSystem { triples.append(Triple(node, IRI(MS.operatingSystem), .literal(Literal(value)))) }
        if let value = host.location { triples.append(Triple(node, IRI(MS.location), .literal(Literal(value)))) }
        return triples
    }

    /// Records a heartbeat; a host that was offline comes back online (a change, with an event).
    public func heartbeat(host id: String, authorize: @escaping HostAuthorization = { _ in true }) async throws -> HostRecord {
        let time = now()
        let wasOnline = try state.withLock { state -> Bool in
            guard let host = state.hosts[id] else { throw RegistryError(.notFound, "no host `\(id)`") }
            guard authorize(host) else { throw RegistryError(.forbidden, "the host `\(id)` belongs to another token") }
            state.hostSeen[id] = time
            return host.online
        }
        guard !wasOnline else { return host(id: id)! }
        return try await write { transaction, state, pending in
            guard var host = state.hosts[id] else { throw RegistryError(.notFound, "no host `\(id)`") }
            host.online = true
            host.lastSeen = pending.time
            host.index = pending.event(.hostOnline, id: id, name: nil)
            try Self.store(host, transaction: transaction, pending: &pending)
            return host
        }
    }

    /// Marks hosts whose heartbeats stopped as offline.
    @discardableResult
    public func markSilentHostsOffline() async throws -> [String] {
        let time = now()
        let silent = state.withLock { state in
            state.hosts.values.filter { $0.online && (state.hostSeen[$0.id] ?? $0.lastSeen) + $0.ttlMilliseconds < time }.map(\.id)
        }
        guard !silent.isEmpty else { return [] }
        return try await write { transaction, state, pending in
            var changed: [String] = []
            for id in silent.sorted() {
                guard var host = state.hosts[id], host.online,
                      (state.hostSeen[id] ?? host.lastSeen) + host.ttlMilliseconds < pending.time else { continue }
                host.online = false
                host.lastSeen = state.hostSeen[id] ?? host.lastSeen
                host.index = pending.event(.hostOffline, id: id, name: nil)
                try Self.store(host, transaction: transaction, pending: &pending)
                changed.append(id)
            }
            return changed
        }
    }

    public func removeHost(id: String, authorize: @escaping HostAuthorization = { _ in true }) async throws {
        try await write { transaction, state, pending in
            guard let host = state.hosts[id] else { throw RegistryError(.notFound, "no host `\(id)`") }
            guard authorize(host) else { throw RegistryError(.forbidden, "the host `\(id)` belongs to another token") }
            _ = try transaction.drop(graph: .named(.iri(HostRecord.iri(id: id))))
            try transaction.deleteRecord(in: Self.hostCollection, key: id)
            pending.hosts[id] = .some(nil)
            _ = pending.event(.hostRemoved, id: id, name: nil)
        }
    }

    public func host(id: String) -> HostRecord? {
        state.withLock { state in
            guard var host = state.hosts[id] else { return nil }
            host.lastSeen = state.hostSeen[id] ?? host.lastSeen
            return host
        }
    }

    public func hosts() -> [HostRecord] {
        state.withLock { state in
            state.hosts.values.map { host in
                var host = host
                host.lastSeen = state.hostSeen[host.id] ?? host.lastSeen
                return host
            }.sorted { $0.id < $1.id }
        }
    }

    /// Counts for metrics.
    public var counts: (services: Int, instances: Int, hosts: Int) {
        state.withLock { state in
            (state.serviceCounts.count, state.registrations.count, state.hosts.count)
        }
    }
}
