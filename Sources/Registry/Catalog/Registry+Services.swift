import Foundation
import JSON
import Ontology

/// What a client registers: a manifest (from JSON or a Thing Description) or an RDF document.
public enum RegistrationInput: Sendable {
    case manifest(Manifest, source: Registration.Source)
    case rdf(RDFRegistration)

    public var manifest: Manifest {
        switch self {
        case .manifest(let manifest, _): manifest
        case .rdf(let registration): registration.manifest
        }
    }
}

/// Which names a caller may register, checked on the new name and on the name it replaces.
/// Asked before the write (it may evaluate policies), never on the store's writer.
public typealias NameAuthorization = @Sendable (ServiceName) async -> Bool

/// Filters of `GET /v1/services`.
public struct RegistrationFilter: Sendable {
    /// Names starting with this text.
    public var namePrefix: String?
    public var version: String?
    public var tier: DeploymentTier?
    public var health: HealthStatus?
    public var `protocol`: EndpointProtocol?
    /// Registrations whose service, virtual objects or exposed devices are instances of this
    /// class, with RDFS reasoning (an IRI).
    public var ontologyClass: String?
    /// Registrations that arrived in this format (``Registration/Source``).
    public var source: Registration.Source?

    public init() {}
}

extension Registry {
    /// Registers (or, when its instance id is taken, replaces) an instance.
    ///
    /// - Parameters:
    ///   - replacing: the id of the registration to replace (`PUT /v1/services/{id}`); the
    ///     manifest's instance id must then be absent or equal.
    ///   - document: for a Thing Description, the TD as it arrived (kept, and given back by
    ///     the WoT directory; its `td:` triples join the registration's graph).
    ///   - authorize: whether the caller may write a name; asked for the new name and for the
    ///     name of the registration replaced.
    /// - Returns: the stored registration, and whether it was created (not replaced).
    public func register(_ input: RegistrationInput, replacing: String? = nil, pullURL: String? = nil, owner: String? = nil,
                         document: String? = nil,
                         authorize: @escaping NameAuthorization = { _ in true }) async throws -> (Registration, created: Bool) {
        var input = input
        var manifest = input.manifest
        if let replacing {
            if let given = manifest.instance.id, given != replacing {
                throw RegistryError(.invalidRequest, "the manifest's instance.id `\(given)` differs from the id in the path `\(replacing)`")
            }
            manifest.instance.id = replacing
        }
        // Every name the registration would answer for: the service's and its objects' (methods
        // and channels lie under their object). Otherwise a token for one prefix could put its
        // endpoints behind another site's names.
        let id = manifest.instance.id ?? Self.newID(for: manifest.name)
        manifest.instance.id = id
        let answered = [manifest.name] + manifest.objects.map(\.name)
        let replaced = state.withLock { $0.registrations[id]?.name }
        let grants = await NameGrants.ask(answered + RegistrationTrust.fullNames(in: input) + (replaced.map { [$0] } ?? []), authorize)
        for name in answered where !grants.allows(name) {
            throw RegistryError(.forbidden, "this token may not register `\(name)`")
        }
        // Everything that does not depend on what is stored is done here, in parallel with other
        // requests, so that the single writer only writes.
        var template = Registration(
            id: id, manifest: manifest, source: .manifest, document: nil, instanceNode: nil, pullURL: pullURL,
            health: manifest.instance.health, healthNote: nil, leaseExpires: nil, created: 0, updated: 0, index: 0, owner: owner)
        switch input {
        case .manifest(_, let source):
            template.source = source
            if source == .thingDescription, let document {
                template.document = document
                template.thingID = Registration.thingID(of: document)
            }
        case .rdf(let uploaded):
            template.source = .rdf
            let document = RegistrationTrust.rebased(uploaded, into: template.graphIRI)
            let prepared = RegistrationGraph.prepare(document, graphIRI: template.graphIRI)
            template.document = prepared.document
            template.instanceNode = prepared.instanceNode
            // Judged as stored: the triples the registry adds (an endpoint `ms:servedBy` the
            // instance) describe what the document names, too.
            input = .rdf(RDFRegistration(manifest: document.manifest, triples: prepared.triples, service: document.service,
                                         instance: .iri(prepared.instanceNode)))
        }
        let graph = IRI(template.graphIRI)
        let claimed = try RegistrationTrust.claims(of: input, graphIRI: template.graphIRI, grants: grants)
        // Asked of the store only for what this site does not claim yet (a registration that
        // replaces itself, or another instance of the same device, costs no read).
        let site = manifest.name.site
        let unclaimed = state.withLock { state in claimed.filter { state.claims[$0]?[site] == nil } }
        if !unclaimed.isEmpty { try await checkNotDescribedByAdmin(unclaimed) }
        let buildGraph = try RegistrationGraph.builder(of: template)
        let manifestJSON = manifest.compactJSON
        let prepared = template
        return try await write { transaction, state, pending in
            let existing = state.registrations[id]
            if let replacing, existing == nil, replacing == id {
                throw RegistryError(.notFound, "no registration `\(replacing)`")
            }
            if let existing {
                try grants.require(existing.name, "`\(id)` is registered as `\(existing.name)`, which this token may not change")
            }
            try Self.checkClaims(claimed, site: site, id: id, state: state)
            try Self.checkTopics(of: prepared.manifest, site: site, id: id, state: state)
            if let existing { pending.changeClaims(RegistrationTrust.claimedIRIs(of: existing), site: existing.name.site, by: -1) }
            pending.changeClaims(claimed, site: site, by: 1)
            var registration = prepared
            registration.pullURL = pullURL ?? existing?.pullURL
            registration.owner = owner ?? existing?.owner
            registration.leaseExpires = prepared.manifest.instance.ttlMilliseconds.map { pending.time + $0 }
            registration.created = existing?.created ?? pending.time
            registration.updated = pending.time
            try transaction.replaceInMemory(graph: graph, building: buildGraph)
            registration.index = pending.event(existing == nil ? .serviceRegistered : .serviceUpdated, id: id,
                                               name: registration.name.value, version: registration.manifest.version,
                                               health: registration.health, thing: registration.thingID)
            try transaction.putRecord(registration.record(manifestJSON: manifestJSON), in: Self.serviceCollection, key: id)
            pending.registrations[id] = registration
            pending.leases[id] = .some(registration.leaseExpires)
            return (registration, existing == nil)
        }
    }

    /// Refuses IRIs that the admin's graphs (the stored ones) describe: a registration may link
    /// to them, never add facts about them.
    private func checkNotDescribedByAdmin(_ claimed: Set<String>) async throws {
        let described = try await store.read { snapshot in
            try claimed.sorted().first { iri in !(try snapshot.storedQuads(subject: .iri(iri)).isEmpty) }
        }
        if let described {
            throw RegistryError(.notOwned, "the registration describes <\(described)>, which the admin's graphs describe; a registration may refer to it but not add facts about it")
        }
    }

    /// Refuses IRIs that a live registration of another site claims, and `http(s)` IRIs on the
    /// host of another registered site.
    static func checkClaims(_ claimed: Set<String>, site: String, id: String, state: StateView) throws {
        let replaced = state.registrations[id].map { ($0.name.site, RegistrationTrust.claimedIRIs(of: $0)) }
        for iri in claimed.sorted() {
            var counts = state.sites(claiming: iri)
            // The registration this one replaces goes away with this write.
            if let (oldSite, oldClaims) = replaced, oldClaims.contains(iri) { counts[oldSite, default: 1] -= 1 }
            if let other = counts.filter({ $0.key != site && $0.value > 0 }).keys.min() {
                throw RegistryError(.notOwned, "the registration describes <\(iri)>, which a registration of the site `\(other)` describes")
            }
            if let host = RegistrationTrust.httpHost(of: iri), let owner = RegistrationTrust.site(owningHost: host, among: state.sites),
               owner != site {
                throw RegistryError(.notOwned, "the registration describes <\(iri)>, an IRI of the site `\(owner)`")
            }
        }
    }

    /// Removes a registration and its graph.
    @discardableResult
    public func deregister(id: String, authorize: @escaping NameAuthorization = { _ in true }) async throws -> Int64 {
        let grants = await NameGrants.ask(state.withLock { $0.registrations[id].map { [$0.name] } ?? [] }, authorize)
        return try await write { transaction, state, pending in
            guard let existing = state.registrations[id] else { throw RegistryError(.notFound, "no registration `\(id)`") }
            try grants.require(existing.name, "this token may not change `\(existing.name)`")
            try Self.remove(existing, state: state, transaction: transaction, pending: &pending, as: .serviceDeregistered)
            return pending.index
        }
    }

    /// Removes a registration, and takes its instance out of every pin that lists it (a new
    /// generation, with a `name.rebound` event): a pin left with no instances no longer restricts
    /// its name, so resolution falls back to the instances that offer it.
    static func remove(_ registration: Registration, state: StateView, transaction: QuadStore.Transaction, pending: inout Pending,
                       as kind: RegistryEvent.Kind) throws {
        try transaction.dropInMemory(graph: IRI(registration.graphIRI))
        try transaction.deleteRecord(in: serviceCollection, key: registration.id)
        pending.changeClaims(RegistrationTrust.claimedIRIs(of: registration), site: registration.name.site, by: -1)
        pending.registrations[registration.id] = .some(nil)
        pending.leases[registration.id] = .some(nil)
        _ = pending.event(kind, id: registration.id, name: registration.name.value, version: registration.manifest.version,
                          thing: registration.thingID)
        var listing: [ServiceName: NamePin] = [:]
        for pin in state.pins(listing: registration.id) { listing[pin.name] = pin }
        for (name, pin) in pending.pins { listing[name] = pin.instances.contains(registration.id) ? pin : nil }
        for var pin in listing.values.sorted(by: { $0.name < $1.name }) {
            pin.instances.removeAll { $0 == registration.id }
            pin.weights[registration.id] = nil
            pin.generation += 1
            pin.index = pending.event(.nameRebound, id: nil, name: pin.name.value, generation: pin.generation)
            try transaction.putRecord(try encode(pin), in: pinCollection, key: pin.name.value)
            pending.pins[pin.name] = pin
        }
    }

    /// Sets an instance's health, as the instance reports it or a check finds it.
    public func setHealth(id: String, to status: HealthStatus, note: String? = nil,
                          authorize: @escaping NameAuthorization = { _ in true }) async throws -> Registration {
        let grants = await NameGrants.ask(state.withLock { $0.registrations[id].map { [$0.name] } ?? [] }, authorize)
        return try await write { transaction, state, pending in
            guard var registration = state.registrations[id] else { throw RegistryError(.notFound, "no registration `\(id)`") }
            try grants.require(registration.name, "this token may not change `\(registration.name)`")
            guard registration.health != status || registration.healthNote != note else { return registration }
            let changed = registration.health != status
            registration.health = status
            registration.healthNote = note
            registration.updated = pending.time
            if changed {
                try transaction.replaceInMemory(graph: IRI(registration.graphIRI), building: try RegistrationGraph.builder(of: registration))
            }
            registration.index = pending.event(.healthChanged, id: id, name: registration.name.value,
                                               version: registration.manifest.version, health: status)
            try transaction.putRecord(try Self.encode(registration), in: Self.serviceCollection, key: id)
            pending.registrations[id] = registration
            return registration
        }
    }

    /// Renews a lease for another TTL; returns the new expiry (milliseconds since 1970).
    public func renewLease(id: String, authorize: NameAuthorization = { _ in true }) async throws -> Int64 {
        let grants = await NameGrants.ask(state.withLock { $0.registrations[id].map { [$0.name] } ?? [] }, authorize)
        guard let registration = state.withLock({ $0.registrations[id] }) else { throw RegistryError(.notFound, "no registration `\(id)`") }
        try grants.require(registration.name, "this token may not change `\(registration.name)`")
        guard let ttl = registration.manifest.instance.ttlMilliseconds else {
            throw RegistryError(.conflict, "`\(id)` has no lease (register it with instance.ttl)")
        }
        // Through the journal's lease: nil when the registration went meanwhile.
        guard let expires = renewLease(of: id, ttl: ttl) else { throw RegistryError(.notFound, "no registration `\(id)`") }
        return expires
    }

    /// Removes every registration whose lease ran out (of `candidates` only, when given);
    /// returns their ids.
    @discardableResult
    public func expireLeases(among candidates: Set<String>? = nil) async throws -> [String] {
        let expired = expiredLeases().filter { candidates?.contains($0) ?? true }
        guard !expired.isEmpty else { return [] }
        return try await write { transaction, state, pending in
            var removed: [String] = []
            // Checked again inside the transaction: a renewal may have come in meanwhile.
            for id in expired.sorted() {
                guard let lease = state.leases[id], lease < pending.time, let registration = state.registrations[id] else { continue }
                try Self.remove(registration, state: state, transaction: transaction, pending: &pending, as: .leaseExpired)
                removed.append(id)
            }
            return removed
        }
    }

    // MARK: Reading

    /// The registration with this id, with its current lease.
    /// The registration of the Thing Description whose `id` is `thingID` (the first by id
    /// when several instances carry the same TD).
    public func registration(thingID: String) -> Registration? {
        guard let id = state.withLock({ $0.things[thingID]?.min() }) else { return nil }
        return registration(id: id)
    }

    public func registration(id: String) -> Registration? {
        state.withLock { state in
            guard var registration = state.registrations[id] else { return nil }
            registration.leaseExpires = state.leases[id]
            return registration
        }
    }

    /// Registrations matching `filter`, ordered by name, version and id, and the index they reflect.
    public func registrations(matching filter: RegistrationFilter = RegistrationFilter()) async throws -> (index: Int64, registrations: [Registration]) {
        var classMembers: Set<String>?
        if let ontologyClass = filter.ontologyClass {
            classMembers = try await registrations(ofClass: ontologyClass)
        }
        return state.withLock { state in
            let matching = state.registrations.values.filter { registration in
                if let prefix = filter.namePrefix, !registration.name.value.hasPrefix(prefix) { return false }
                if let version = filter.version, registration.manifest.version != version { return false }
                if let tier = filter.tier, registration.manifest.instance.tier != tier { return false }
                if let health = filter.health, registration.health != health { return false }
                if let proto = filter.protocol, !registration.manifest.protocols.contains(proto) { return false }
                if let classMembers, !classMembers.contains(registration.id) { return false }
                if let source = filter.source, registration.source != source { return false }
                return true
            }.map { registration -> Registration in
                var registration = registration
                registration.leaseExpires = state.leases[registration.id]
                return registration
            }.sorted { ($0.name, $0.manifest.version, $0.id) < ($1.name, $1.manifest.version, $1.id) }
            return (state.index, matching)
        }
    }

    /// Ids of registrations whose service, objects or exposed devices are of `ontologyClass`,
    /// with RDFS reasoning over everything in the store (the ontologies included).
    func registrations(ofClass ontologyClass: String) async throws -> Set<String> {
        guard IRI.isAbsolute(ontologyClass) else {
            throw RegistryError(.invalidRequest, "`\(ontologyClass)` is not an absolute IRI")
        }
        let text = """
            PREFIX ms: <\(MS.namespace)>
            SELECT DISTINCT ?id WHERE {
              ?service ms:hasInstance ?instance . ?instance ms:registrationId ?id .
              { ?service a <\(ontologyClass)> }
              UNION { ?service ms:exposes ?device . ?device a <\(ontologyClass)> }
              UNION { ?service ms:hasVirtualObject ?object . ?object a <\(ontologyClass)> }
              UNION { ?service ms:hasVirtualObject ?object . ?object ms:exposes ?device . ?device a <\(ontologyClass)> }
            }
            """
        let query = try SPARQLParser().parseQuery(text)
        let schemas = store.schemas
        let result = try await store.read { snapshot in
            let dataset = StoreDataset(snapshot)
            let schema = dataset.rdfsSchema(cache: schemas)
            return try QueryEvaluator(dataset: dataset, reasoning: true, schema: schema).evaluate(query)
        }
        guard case .solutions(_, let rows) = result else { return [] }
        return Set(rows.compactMap { $0.first??.literal?.lexicalForm })
    }

    static func newID(for name: ServiceName) -> String {
        let last = name.value.split(separator: "/").last.map(String.init) ?? "service"
        let stem = String(last.lowercased().filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") }.prefix(100))
        var generator = SystemRandomNumberGenerator()
        let suffix = String(generator.next() & 0xFFFF_FFFF, radix: 16)
        return (stem.isEmpty ? "service" : stem) + "-" + String(repeating: "0", count: 8 - suffix.count) + suffix
    }
}

extension Registry {
    /// The health checks of current registrations, for the daemon's checker.
    public func healthChecks() -> [(id: String, check: HealthCheckSpec, health: HealthStatus)] {
        state.withLock { state in
            state.checked.flatMap { id in
                state.registrations[id].map { registration in
                    registration.manifest.instance.allChecks.map { (registration.id, $0, registration.health) }
                } ?? []
            }.sorted { ($0.id, $0.check.checkID) < ($1.id, $1.check.checkID) }
        }
    }
}

extension Registry {
    /// The graphs of the registrations that offer `api` or a name above it (a method's object,
    /// an object's service): the only registration graphs a decision about `api` reads facts
    /// from (docs/trust.md). Only tokens allowed to register those names wrote them.
    public func graphs(describing api: String) -> Set<IRI> {
        var names: [ServiceName] = []
        var text = Substring(api)
        while let name = try? ServiceName(String(text)) {
            names.append(name)
            guard let slash = text.lastIndex(of: "/") else { break }
            text = text[..<slash]
        }
        return state.withLock { state in
            var graphs: Set<IRI> = []
            for name in names {
                for id in state.names.registrations(offering: name) {
                    if let registration = state.registrations[id] { graphs.insert(IRI(registration.graphIRI)) }
                }
            }
            return graphs
        }
    }
}
