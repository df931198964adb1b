/// One change to the registry, with the index that orders all changes.
public struct RegistryEvent: Codable, Sendable, Hashable {
    /// What changed.
    public enum Kind: String, Codable, Sendable, Hashable {
        case serviceRegistered = "service.registered"
        case serviceUpdated = "service.updated"
        case serviceDeregistered = "service.deregistered"
        case healthChanged = "service.health"
        case leaseExpired = "service.expired"
        case nameRebound = "name.rebound"
        case hostRegistered = "host.registered"
        case hostOnline = "host.online"
        case hostOffline = "host.offline"
        case hostRemoved = "host.removed"
        /// A bundled ontology was loaded or upgraded.
        case ontologyLoaded = "ontology.loaded"
        /// The policy set changed (a new generation took effect).
        case policyChanged = "policy.changed"
        case authorityChanged = "authority.changed"
        case subjectChanged = "subject.changed"
        /// A binding must no longer be honoured: revoked by an admin, withdrawn by a policy
        /// change, or its instance went away. Gateways drop it from their caches.
        case bindingRevoked = "binding.revoked"
        /// A new key signs bindings (`/.well-known/jwks.json` changed).
        case keysRotated = "keys.rotated"
        /// Events before `index` were discarded; a watcher that missed them must re-list.
        case reset
    }

    public var index: Int64
    public var type: Kind
    /// Registration id or host id.
    public var id: String?
    public var name: String?
    public var version: String?
    public var health: HealthStatus?
    public var generation: Int64?
    /// Milliseconds since 1970.
    public var time: Int64
}

/// Written directly for the change log (each write journals its events on the store's single
/// writer); the text is the `Codable` form's (`ManifestJSONTextTests` checks).
extension RegistryEvent: CompactJSONWritable {
    public func write(to writer: inout JSONTextWriter) {
        writer.beginObject()
        writer.member("generation", generation)
        writer.member("health", health?.rawValue)
        writer.member("id", id)
        writer.member("index", index)
        writer.member("name", name)
        writer.member("time", time)
        writer.member("type", type.rawValue)
        writer.member("version", version)
        writer.endObject()
    }
}
