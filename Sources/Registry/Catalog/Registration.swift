import JSON

/// One registered instance of a service version: its manifest and its live state.
public struct Registration: Codable, Sendable, Hashable {
    /// The format the registration arrived in.
    public enum Source: String, Codable, Sendable, Hashable {
        case manifest, thingDescription = "thing-description", rdf
    }

    /// The id in `/v1/services/{id}`.
    public var id: String
    public var manifest: Manifest
    public var source: Source
    /// For ``Source/rdf``: the document's triples as N-Triples, the registration's graph
    /// (with the instance's live state added).
    public var document: String?
    /// For ``Source/rdf``: the instance node of the document, in N-Triples syntax.
    public var instanceNode: String?
    /// The introspect URL the registry fetched the manifest from (pull registration).
    public var pullURL: String?
    public var health: HealthStatus
    public var healthNote: String?
    /// When the lease runs out, in milliseconds since 1970; nil without a lease.
    public var leaseExpires: Int64?
    /// Creation and last change, in milliseconds since 1970.
    public var created: Int64
    public var updated: Int64
    /// The change index of the last change.
    public var index: Int64
    /// The id of the token that registered it.
    public var owner: String?

    public var name: ServiceName { manifest.name }
    /// A Thing Description's `id` (kept with the record, so the WoT directory finds the TD by
    /// it without reading the document).
    public var thingID: String?

    /// The `id` of a TD document.
    static func thingID(of document: String) -> String? {
        (try? JSONValue.parse(Array(document.utf8)))?["id"]?.stringValue
    }
    public var graphIRI: String { ManifestGraph.graphIRI(registrationID: id) }

    /// Everything but the manifest, for ``record(manifestJSON:)``.
    struct Header: Encodable {
        var id: String
        var source: Source
        var document: String?
        var instanceNode: String?
        var pullURL: String?
        var health: HealthStatus
        var healthNote: String?
        var leaseExpires: Int64?
        var created: Int64
        var updated: Int64
        var index: Int64
        var owner: String?
        var thingID: String?
    }

    /// The stored JSON of this registration (what `Codable` decodes back), with the manifest's
    /// JSON encoded beforehand: the manifest is most of the record, and encoding it outside the
    /// store's single writer lets registrations encode in parallel.
    func record(manifestJSON: String) -> String {
        let header = Header(id: id, source: source, document: document, instanceNode: instanceNode, pullURL: pullURL,
                            health: health, healthNote: healthNote, leaseExpires: leaseExpires, created: created,
                            updated: updated, index: index, owner: owner, thingID: thingID)
        let text = header.compactJSON
        return #"{"manifest":"# + manifestJSON + "," + text.dropFirst()
    }
}

extension Registration.Header: CompactJSONWritable {
    func write(to writer: inout JSONTextWriter) {
        writer.beginObject()
        writer.member("created", created)
        writer.member("document", document)
        writer.member("health", health.rawValue)
        writer.member("healthNote", healthNote)
        writer.member("id", id)
        writer.member("index", index)
        writer.member("instanceNode", instanceNode)
        writer.member("leaseExpires", leaseExpires)
        writer.member("owner", owner)
        writer.member("pullURL", pullURL)
        writer.member("source", source.rawValue)
        writer.member("thingID", thingID)
        writer.member("updated", updated)
        writer.endObject()
    }
}

/// A host that runs instances: a device, gateway or server, with its heartbeat.
public struct HostRecord: Codable, Sendable, Hashable {
    public var id: String
    public var architecture: String?
    public var operatingSystem: String?
    public var tier: DeploymentTier
    public var location: String?
    /// How long a host stays online without a heartbeat, in milliseconds.
    public var ttlMilliseconds: Int64
    /// The last heartbeat (or registration), in milliseconds since 1970.
    public var lastSeen: Int64
    public var online: Bool
    public var created: Int64
    public var index: Int64
    /// The id of the token that registered it: only that token (or an admin) may replace,
    /// remove or revive it (docs/trust.md). Nil for hosts of an earlier version: admin only.
    public var owner: String?

    /// The host's node and named graph.
    public static func iri(id: String) -> String { "urn:registryd:host:" + IRIText.encodeSegment(id) }
}

/// An explicit binding of a name to instances, changed only by compare-and-swap.
public struct NamePin: Codable, Sendable, Hashable {
    public var name: ServiceName
    /// Starts at 1 and grows by one with every change; 0 means "no pin".
    public var generation: Int64
    /// The registration ids that serve the name, with optional weights.
    public var instances: [String]
    public var weights: [String: Int]
    public var index: Int64
}
