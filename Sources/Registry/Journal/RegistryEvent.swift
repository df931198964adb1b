import JSON

/// One change to the registry, with the index that orders all changes.
public struct RegistryEvent: Codable, Sendable, Hashable {
    /// What changed: a dotted name, `<subject>.<change>`. The registry defines its own kinds
    /// here; other modules that write through the ``Journal`` add theirs in an extension
    /// (the access service's `policy.changed`, `binding.revoked`, ...).
    public struct Kind: RawRepresentable, Codable, Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
        public let rawValue: String

        public init(rawValue: String) { self.rawValue = rawValue }
        public init(stringLiteral value: String) { rawValue = value }
        public var description: String { rawValue }

        public static let serviceRegistered: Kind = "service.registered"
        public static let serviceUpdated: Kind = "service.updated"
        public static let serviceDeregistered: Kind = "service.deregistered"
        public static let healthChanged: Kind = "service.health"
        public static let leaseExpired: Kind = "service.expired"
        public static let nameRebound: Kind = "name.rebound"
        public static let hostRegistered: Kind = "host.registered"
        public static let hostOnline: Kind = "host.online"
        public static let hostOffline: Kind = "host.offline"
        public static let hostRemoved: Kind = "host.removed"
        /// A bundled ontology was loaded or upgraded.
        public static let ontologyLoaded: Kind = "ontology.loaded"
        /// Events before `index` were discarded; a watcher that missed them must re-list.
        public static let reset: Kind = "reset"
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
    /// For a registration that is a Thing Description: the TD's `id` (the WoT directory's
    /// notifications name Things by it).
    public var thing: String?
    /// The id of the token whose request made the change (``ChangeAuthor``); none for the
    /// daemon's own changes (expired leases, health checks, ontology loads).
    public var token: String?
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
        writer.member("thing", thing)
        writer.member("time", time)
        writer.member("token", token)
        writer.member("type", type.rawValue)
        writer.member("version", version)
        writer.endObject()
    }
}
