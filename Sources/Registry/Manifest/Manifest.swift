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
    /// The single HTTP check of the manifest's `check` member (as manifests wrote it first).
    public var check: HealthCheckSpec?
    /// The checks of the manifest's `checks` member (nil when it has none).
    public var checks: [HealthCheckSpec]?

    public init() {}

    /// Every check the registry runs (or, for TTL checks, waits for) to set the health itself:
    /// the instance's health is the worst of their statuses.
    public var allChecks: [HealthCheckSpec] { (check.map { [$0] } ?? []) + (checks ?? []) }
}

/// A health check of an instance, as Consul has them (docs/manifest.md, "Health checks").
///
/// - `http`: `GET url`; 2xx is passing (and the body must contain `body`, when given), 429 or
///   503 warning, anything else or no answer within `timeout` critical.
/// - `tcp`: a connection to `url` (`host:port`) within `timeout` is passing.
/// - `grpc`: `grpc.health.v1.Health/Check` on `url` (`host:port`, plaintext HTTP/2) for
///   `service` (empty: the server): `SERVING` is passing, anything else critical.
/// - `coap`: an empty confirmable message to `url` (`coap://host:port`, RFC 7252 §4.3 "CoAP
///   ping"): a reset (or acknowledgement) with its message id within `timeout` is passing.
/// - `ttl`: the instance reports its status (`PUT /v1/services/{id}/checks/{check}`); no report
///   within `ttl` is critical.
///
/// A status changes after `successesBeforePassing` passing results in a row, or
/// `failuresBeforeCritical` failing ones; an instance whose check has been critical for
/// `deregisterAfter` is deregistered. Passing, warning and critical make the instance ok,
/// degraded and broken.
public struct HealthCheckSpec: Codable, Sendable, Hashable {
    public enum Kind: String, Codable, Sendable, Hashable, CaseIterable { case http, tcp, grpc, coap, ttl }

    /// The check's id within the instance (the `checks` entry's `id`, or its kind).
    public var id: String?
    /// nil: `http` (what a stored `check` of an earlier version is).
    public var kind: Kind?
    /// The HTTP URL, the `host:port` of TCP and gRPC, the CoAP URI; empty for TTL.
    public var url: String
    public var intervalMilliseconds: Int64
    public var timeoutMilliseconds: Int64
    /// HTTP: a text the answer's body must contain to pass.
    public var body: String?
    /// gRPC: the service name asked about.
    public var service: String?
    /// TTL: how long a report holds.
    public var ttlMilliseconds: Int64?
    public var successesBeforePassing: Int?
    public var failuresBeforeCritical: Int?
    public var deregisterAfterMilliseconds: Int64?

    public init(url: String, intervalMilliseconds: Int64 = 10_000, timeoutMilliseconds: Int64 = 2_000) {
        self.url = url
        self.intervalMilliseconds = intervalMilliseconds
        self.timeoutMilliseconds = timeoutMilliseconds
    }

    public var checkKind: Kind { kind ?? .http }
    public var checkID: String { id ?? checkKind.rawValue }
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

extension HealthCheckSpec {
    /// The host and port of a `host:port` address (`[::1]:50051` for IPv6); nil when it is none.
    public static func hostAndPort(_ address: String) -> (host: String, port: Int)? {
        let host: Substring
        let portText: Substring
        if address.hasPrefix("[") {
            guard let close = address.firstIndex(of: "]"), address[address.index(after: close)...].hasPrefix(":") else { return nil }
            host = address[address.index(after: address.startIndex)..<close]
            portText = address[address.index(close, offsetBy: 2)...]
        } else {
            guard let colon = address.lastIndex(of: ":") else { return nil }
            host = address[..<colon]
            portText = address[address.index(after: colon)...]
            if host.contains(":") { return nil }
        }
        guard !host.isEmpty, host.allSatisfy({ $0.isASCII && !$0.isWhitespace && $0 != "/" && $0 != "@" }),
              let port = Int(portText), (1...65535).contains(port), portText.allSatisfy(\.isNumber) else { return nil }
        return (String(host), port)
    }
}
