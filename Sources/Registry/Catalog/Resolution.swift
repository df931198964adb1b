/// The answer to "who serves this name?": endpoints ranked for a client to use.
public struct Resolution: Codable, Sendable, Hashable {
    /// What the name denotes.
    public enum Kind: String, Codable, Sendable { case service, object, method, channel }

    /// One endpoint of one instance.
    public struct Endpoint: Codable, Sendable, Hashable {
        /// The registration id of the instance.
        public var instance: String
        /// The method or channel the endpoint is for.
        public var operation: String
        public var `protocol`: EndpointProtocol
        public var address: String
        public var method: String?
        public var topic: String?
        public var exchange: String?
        public var routingKey: String?
        public var queue: String?
        public var contentType: String?
        public var version: String
        public var weight: Int
        public var health: HealthStatus
        public var tier: DeploymentTier
        public var host: String?
    }

    public var name: String
    public var kind: Kind
    /// The generation of the pin that decides this name (0 when none): the value to send
    /// back to rebind the name with compare-and-swap.
    public var generation: Int64
    /// The name the deciding pin is on (this name or one above it), if any.
    public var pinnedAt: String?
    /// The change index the answer reflects.
    public var index: Int64
    /// Healthy instances first, degraded last, then by weight; broken ones are left out.
    public var endpoints: [Endpoint]
    public init(name: String, kind: Kind, generation: Int64, pinnedAt: String? = nil, index: Int64, endpoints: [Endpoint]) {
        self.name = name
        self.kind = kind
        self.generation = generation
        self.pinnedAt = pinnedAt
        self.index = index
        self.endpoints = endpoints
    }

    /// The `route` policy rule that chose versions and weights, if one did.
    public var route: String?
    /// Another site that serves the name, when a `route ... redirect` rule says so.
    public var redirect: String?

    /// Keeps the versions a route names, each endpoint weighted by its version's share.
    public mutating func apply(route id: String, versions: [(version: String, weight: Int)]) {
        var chosen: [Endpoint] = []
        for (version, weight) in versions {
            let matching = endpoints.filter { $0.version == version }
            for var endpoint in matching {
                endpoint.weight = weight / max(1, matching.count)
                chosen.append(endpoint)
            }
        }
        endpoints = chosen
        route = id
    }
}

extension Registry {
    /// Resolves a service, virtual object, method or channel name to endpoints.
    public func resolve(_ name: ServiceName) throws -> Resolution {
        try state.withLock { state in
            let ids = state.names.registrations(offering: name)
            guard let anyID = ids.min(), let sample = state.registrations[anyID] else {
                throw RegistryError(.notFound, "no registered service offers `\(name)`")
            }
            let kind: Resolution.Kind
            if sample.manifest.name == name {
                kind = .service
            } else if sample.manifest.objects.contains(where: { $0.name == name }) {
                kind = .object
            } else if sample.manifest.operations.first(where: { $0.name == name })?.kind == .channel {
                kind = .channel
            } else {
                kind = .method
            }
            let pin = Self.pin(deciding: name, in: state.pins)
            var endpoints: [Resolution.Endpoint] = []
            for id in ids {
                guard let registration = state.registrations[id], registration.health != .broken else { continue }
                if let pin, !pin.instances.isEmpty, !pin.instances.contains(id) { continue }
                let weight = pin?.weights[id] ?? registration.manifest.instance.weight
                let operations = registration.manifest.operations.filter { operation in
                    switch kind {
                    case .service: true
                    case .object: operation.objectName == name
                    case .method, .channel: operation.name == name
                    }
                }
                for operation in operations {
                    for endpoint in operation.endpoints {
                        endpoints.append(Resolution.Endpoint(
                            instance: id, operation: operation.name.value, protocol: endpoint.protocol, address: endpoint.address,
                            method: endpoint.httpMethod, topic: endpoint.topic, exchange: endpoint.exchange,
                            routingKey: endpoint.routingKey, queue: endpoint.queue, contentType: endpoint.contentType,
                            version: registration.manifest.version, weight: weight, health: registration.health,
                            tier: registration.manifest.instance.tier, host: registration.manifest.instance.host))
                    }
                }
            }
            endpoints.sort {
                ($0.health.rank, -$0.weight, $0.instance, $0.operation, $0.protocol.rawValue, $0.address)
                    < ($1.health.rank, -$1.weight, $1.instance, $1.operation, $1.protocol.rawValue, $1.address)
            }
            let generation = state.pins[name]?.generation ?? 0
            return Resolution(name: name.value, kind: kind, generation: generation,
                              pinnedAt: pin.flatMap { $0.instances.isEmpty ? nil : $0.name.value },
                              index: state.index, endpoints: endpoints)
        }
    }

    /// The most specific pin with instances on `name` or a name above it.
    static func pin(deciding name: ServiceName, in pins: [ServiceName: NamePin]) -> NamePin? {
        guard !pins.isEmpty else { return nil }
        var text = name.value
        while true {
            if let candidate = try? ServiceName(text), let pin = pins[candidate], !pin.instances.isEmpty { return pin }
            guard let slash = text.lastIndex(of: "/") else { return nil }
            text = String(text[..<slash])
            if !text.contains("/") { return nil }
        }
    }

    /// Binds `name` to `instances` if its pin generation is still `expected` (0 for a name never
    /// pinned): the atomic flip at the end of a live migration. An empty `instances` list removes
    /// the restriction (the generation still grows, so an old generation never matches again).
    ///
    /// - Throws: `registry.conflict` when the generation moved on; `registry.invalid_request`
    ///   when an instance does not exist or does not offer the name.
    public func pin(_ name: ServiceName, expectedGeneration expected: Int64, instances: [String], weights: [String: Int] = [:],
                    authorize: @escaping NameAuthorization = { _ in true }) async throws -> NamePin {
        guard await authorize(name) else { throw RegistryError(.forbidden, "this token may not rebind `\(name)`") }
        for (id, weight) in weights where !instances.contains(id) || !(0...10_000).contains(weight) {
            throw RegistryError(.invalidRequest, "weight for `\(id)`: the instance must be listed and the weight from 0 to 10000")
        }
        return try await write { transaction, state, pending in
            let current = state.pins[name]?.generation ?? 0
            guard current == expected else {
                throw RegistryError(.conflict, "the generation of `\(name)` is \(current), not \(expected)")
            }
            let offering = state.registrations(offering: name)
            for id in instances where !offering.contains(id) {
                throw RegistryError(.invalidRequest, "instance `\(id)` does not exist or does not offer `\(name)`")
            }
            let index = pending.event(.nameRebound, id: nil, name: name.value, generation: current + 1)
            let pin = NamePin(name: name, generation: current + 1, instances: Array(Set(instances)).sorted(), weights: weights, index: index)
            try transaction.putRecord(try Self.encode(pin), in: Self.pinCollection, key: name.value)
            pending.pins[name] = pin
            return pin
        }
    }
}
