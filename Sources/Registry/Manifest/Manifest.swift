/// A microservice's introspect manifest: what it offers (virtual objects with methods and event
/// channels), on which endpoints, and the instance that serves them (seed 001 §III-A).
///
/// One registration is one instance of one service version. The JSON form is documented in
/// `docs/manifest.md` and `schemas/manifest.schema.json`; ``ManifestDecoder`` reads it,
/// ``ThingDescriptionDecoder`` and ``RDFManifestReader`` produce the same value from a W3C WoT
/// Thing Description and from RDF, and ``ManifestGraph`` maps it to RDF.
public struct Manifest: Codable, Sendable, Hashable {
    /// The site-scoped service name, e.g. `snac.asu.edu/Weather`.
    public var name: ServiceName
    public var version: String
    public var label: String?
    public var description: String?
    /// The service profile category (OWL-S `serviceCategory`).
    public var category: String?
    /// Extra `rdf:type`s of the microservice, as absolute IRIs.
    public var types: [String] = []
    /// The URL of the service's `introspect` method.
    public var introspect: String?
    public var instance: InstanceSpec = InstanceSpec()
    public var devices: [DeviceSpec] = []
    public var objects: [ObjectSpec] = []

    public init(name: ServiceName, version: String) {
        self.name = name
        self.version = version
    }

    /// Every endpoint, with the object and the method or channel it belongs to.
    public var operations: [Operation] {
        var result: [Operation] = []
        for object in objects {
            for method in object.methods {
                result.append(Operation(kind: .method, name: ServiceName(unchecked: object.name.value + "/" + method.name), objectName: object.name, endpoints: method.endpoints))
            }
            for channel in object.channels {
                result.append(Operation(kind: .channel, name: ServiceName(unchecked: object.name.value + "/" + channel.name), objectName: object.name, endpoints: channel.endpoints))
            }
        }
        return result
    }

    /// The protocols of all endpoints, sorted, without repeats.
    public var protocols: [EndpointProtocol] {
        Array(Set(objects.flatMap { $0.methods.flatMap(\.endpoints) + $0.channels.flatMap(\.endpoints) }.map(\.protocol))).sorted()
    }
}

/// A method or event channel with its full name, as name resolution sees it.
public struct Operation: Sendable, Hashable {
    public enum Kind: String, Sendable, Codable { case method, channel }
    public var kind: Kind
    public var name: ServiceName
    public var objectName: ServiceName
    public var endpoints: [EndpointSpec]
}

/// Where and how the registering instance runs.
public struct InstanceSpec: Codable, Sendable, Hashable {
    /// The registration id; generated when nil.
    public var id: String?
    public var tier: DeploymentTier = .cloud
    /// The id of the host (``Host``) the instance runs on.
    public var host: String?
    /// The share of traffic name resolution gives this instance among its peers.
    public var weight: Int = 100
    /// The lease in milliseconds; nil means the registration does not expire.
    public var ttlMilliseconds: Int64?
    public var health: HealthStatus = .ok
    /// An HTTP check the registry runs to set the health itself.
    public var check: HealthCheckSpec?

    public init() {}
}

/// A health check the registry runs against an instance: `GET url` every `interval`. A 2xx
/// answer means ok, 429 or 503 degraded, anything else (or no answer within `timeout`) broken.
public struct HealthCheckSpec: Codable, Sendable, Hashable {
    public var url: String
    public var intervalMilliseconds: Int64
    public var timeoutMilliseconds: Int64

    public init(url: String, intervalMilliseconds: Int64 = 10_000, timeoutMilliseconds: Int64 = 2_000) {
        self.url = url
        self.intervalMilliseconds = intervalMilliseconds
        self.timeoutMilliseconds = timeoutMilliseconds
    }
}

/// A device a service exposes (an `iot-lite:Device`, `sosa:Sensor`, `sosa:Actuator`...).
public struct DeviceSpec: Codable, Sendable, Hashable {
    /// The id as written: a local id, or an IRI.
    public var id: String
    /// The device's IRI: the id when it is an IRI, otherwise minted from it.
    public var iri: String
    public var types: [String] = []
    public var label: String?
    public var location: String?
    /// Observable properties the device observes (IRIs).
    public var observes: [String] = []
}

/// A virtual object: a named thing with methods and event channels.
public struct ObjectSpec: Codable, Sendable, Hashable {
    public var name: ServiceName
    public var label: String?
    public var description: String?
    public var types: [String] = []
    /// Ids of the manifest's devices this object exposes.
    public var devices: [String] = []
    public var methods: [MethodSpec] = []
    public var channels: [ChannelSpec] = []
}

/// A remote procedure a virtual object offers, with its service profile.
public struct MethodSpec: Codable, Sendable, Hashable {
    /// The method's simple name; its full name is the object's name, `/`, and this.
    public var name: String
    public var label: String?
    public var description: String?
    public var category: String?
    public var inputs: [ParameterSpec] = []
    public var outputs: [ParameterSpec] = []
    public var preconditions: [String] = []
    public var results: [String] = []
    public var sla: SLASpec?
    public var endpoints: [EndpointSpec] = []
}

/// A publish/subscribe channel a virtual object offers.
public struct ChannelSpec: Codable, Sendable, Hashable {
    public var name: String
    public var label: String?
    public var description: String?
    /// The message schema, as JSON text.
    public var schema: String?
    /// The observable property the channel's messages are about (IRI).
    public var observes: String?
    public var endpoints: [EndpointSpec] = []
}

/// An input or output parameter.
public struct ParameterSpec: Codable, Sendable, Hashable {
    public var name: String
    /// The parameter's datatype or class (IRI).
    public var type: String?
    public var description: String?
}

/// Service-level figures a method promises.
public struct SLASpec: Codable, Sendable, Hashable {
    public var maxLatencyMs: Double?
    public var availability: Double?
    public var maxRequestsPerSecond: Double?
}

/// The protocols an endpoint can be mapped onto.
public enum EndpointProtocol: String, Codable, Sendable, Hashable, CaseIterable, Comparable {
    case rest, coap, mqtt, amqp
    /// Any other scheme (`ws`, `modbus+tcp`, ...): kept with its URI, which the registry
    /// resolves and lists but maps to no protocol of its own.
    case other

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A method's or channel's endpoint on one protocol.
public struct EndpointSpec: Codable, Sendable, Hashable {
    public var `protocol`: EndpointProtocol
    /// REST URL, CoAP URI, or the MQTT/AMQP broker URL.
    public var address: String
    /// REST: the HTTP method.
    public var httpMethod: String?
    /// MQTT: the topic.
    public var topic: String?
    /// AMQP: exchange, routing key and queue.
    public var exchange: String?
    public var routingKey: String?
    public var queue: String?
    public var contentType: String?

    public init(protocol: EndpointProtocol, address: String) {
        self.protocol = `protocol`
        self.address = address
    }
}

/// Where an instance runs, from the device itself to the cloud (seed 000 §III).
public enum DeploymentTier: String, Codable, Sendable, Hashable, CaseIterable {
    case device, edge, fog, cloud
}

/// An instance's health, as the instance reports it or a check sets it.
public enum HealthStatus: String, Codable, Sendable, Hashable, CaseIterable {
    case ok, degraded, broken

    /// Resolution order: healthy first, degraded last.
    var rank: Int {
        switch self {
        case .ok: 0
        case .degraded: 1
        case .broken: 2
        }
    }
}
