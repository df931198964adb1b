import JSON
import Registry

/// A registration as `/v1/services` shows it.
struct RegistrationView: Encodable {
    struct Lease: Encodable {
        /// The TTL in seconds.
        var ttl: Double
        var expires: String
    }

    struct Object: Encodable {
        var name: String
        var methods: [String]
        var channels: [String]
    }

    var id: String
    var name: String
    var version: String
    var source: String
    var tier: String
    var host: String?
    var weight: Int
    var health: String
    var healthNote: String?
    var lease: Lease?
    var created: String
    var updated: String
    var index: Int64
    var graph: String
    var protocols: [String]
    var objects: [Object]
    var pullURL: String?
    /// The whole manifest, on `GET /v1/services/{id}` only.
    var manifest: Manifest?

    init(_ registration: Registration, detailed: Bool = false) {
        let manifest = registration.manifest
        id = registration.id
        name = manifest.name.value
        version = manifest.version
        source = registration.source.rawValue
        tier = manifest.instance.tier.rawValue
        host = manifest.instance.host
        weight = manifest.instance.weight
        health = registration.health.rawValue
        healthNote = registration.healthNote
        if let ttl = manifest.instance.ttlMilliseconds, let expires = registration.leaseExpires {
            lease = Lease(ttl: Double(ttl) / 1000, expires: JSONResponse.time(expires))
        }
        created = JSONResponse.time(registration.created)
        updated = JSONResponse.time(registration.updated)
        index = registration.index
        graph = registration.graphIRI
        protocols = manifest.protocols.map(\.rawValue)
        objects = manifest.objects.map { Object(name: $0.name.value, methods: $0.methods.map(\.name), channels: $0.channels.map(\.name)) }
        pullURL = registration.pullURL
        self.manifest = detailed ? manifest : nil
    }

    /// Encodes `lease` as null when there is none, so clients can tell "no lease" from a missing field.
    enum CodingKeys: String, CodingKey {
        case id, name, version, source, tier, host, weight, health, healthNote, lease, created, updated, index, graph, protocols, objects, pullURL, manifest
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(version, forKey: .version)
        try container.encode(source, forKey: .source)
        try container.encode(tier, forKey: .tier)
        try container.encodeIfPresent(host, forKey: .host)
        try container.encode(weight, forKey: .weight)
        try container.encode(health, forKey: .health)
        try container.encodeIfPresent(healthNote, forKey: .healthNote)
        try container.encode(lease, forKey: .lease)
        try container.encode(created, forKey: .created)
        try container.encode(updated, forKey: .updated)
        try container.encode(index, forKey: .index)
        try container.encode(graph, forKey: .graph)
        try container.encode(protocols, forKey: .protocols)
        try container.encode(objects, forKey: .objects)
        try container.encodeIfPresent(pullURL, forKey: .pullURL)
        try container.encodeIfPresent(manifest, forKey: .manifest)
    }
}

/// Written directly for the answers of registration writes, the hottest path; the text is the
/// `Encodable` form's (`RegistrationViewTests` checks).
extension RegistrationView: CompactJSONWritable {
    func write(to writer: inout JSONTextWriter) {
        writer.beginObject()
        writer.member("created", created)
        writer.member("graph", graph)
        writer.member("health", health)
        writer.member("healthNote", healthNote)
        writer.member("host", host)
        writer.member("id", id)
        writer.member("index", index)
        writer.key("lease")
        if let lease { writer.value(lease) } else { writer.null() }
        writer.member("manifest", manifest)
        writer.member("name", name)
        writer.member("objects", objects)
        writer.member("protocols", protocols)
        writer.member("pullURL", pullURL)
        writer.member("source", source)
        writer.member("tier", tier)
        writer.member("updated", updated)
        writer.member("version", version)
        writer.member("weight", weight)
        writer.endObject()
    }
}

extension RegistrationView.Lease: CompactJSONWritable {
    func write(to writer: inout JSONTextWriter) {
        writer.beginObject()
        writer.member("expires", expires)
        writer.member("ttl", ttl)
        writer.endObject()
    }
}

extension RegistrationView.Object: CompactJSONWritable {
    func write(to writer: inout JSONTextWriter) {
        writer.beginObject()
        writer.member("channels", channels)
        writer.member("methods", methods)
        writer.member("name", name)
        writer.endObject()
    }
}

/// A host as `/v1/hosts` shows it.
struct HostView: Encodable {
    var id: String
    var architecture: String?
    var os: String?
    var tier: String
    var location: String?
    var ttl: Double
    var status: String
    var lastSeen: String
    var index: Int64

    init(_ host: HostRecord) {
        id = host.id
        architecture = host.architecture
        os = host.operatingSystem
        tier = host.tier.rawValue
        location = host.location
        ttl = Double(host.ttlMilliseconds) / 1000
        status = host.online ? "online" : "offline"
        lastSeen = JSONResponse.time(host.lastSeen)
        index = host.index
    }
}
