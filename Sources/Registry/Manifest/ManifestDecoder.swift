import Foundation
import JSON

/// Reads the JSON manifest format (`docs/manifest.md`, `schemas/manifest.schema.json`).
///
/// Strict: an unknown field anywhere is an error (`manifest.unknown_field`) naming its path, so
/// a typo such as `"endpoint"` for `"endpoints"` is reported rather than silently dropped.
public enum ManifestDecoder {
    /// Decodes a manifest from JSON bytes.
    public static func decode(_ data: Data) throws -> Manifest {
        try decode(parse(Array(data)))
    }

    /// `bytes` parsed as JSON, its syntax errors as `manifest.syntax` with line and column.
    public static func parse(_ bytes: [UInt8]) throws(RegistryError) -> JSONValue {
        do {
            return try JSONValue.parse(bytes)
        } catch {
            throw RegistryError(.syntax, "the body is not valid JSON: \(error)")
        }
    }

    /// Decodes a manifest from a parsed JSON value.
    public static func decode(_ json: JSONValue) throws -> Manifest {
        let root = try JSONObjectReader(json, path: "", allowed: Fields.manifest)
        var manifest = Manifest(name: try root.name("name"), version: try version(root))
        manifest.label = try root.string("label")
        manifest.description = try root.string("description")
        manifest.category = try root.string("category")
        manifest.types = try root.iris("types")
        if let url = try root.string("introspect") {
            guard let scheme = IRIText.scheme(url), scheme == "http" || scheme == "https" else {
                throw root.invalid("introspect", "expected an http or https URL")
            }
            manifest.introspect = url
        }
        if let instance = root.value("instance") {
            manifest.instance = try decodeInstance(instance, path: "instance")
        }
        var deviceIDs = Set<String>()
        for item in try root.array("devices") {
            let device = try decodeDevice(item.value, path: item.path)
            guard deviceIDs.insert(device.id).inserted else {
                throw RegistryError(.invalidManifest, "`\(item.path).id`: device `\(device.id)` appears twice")
            }
            manifest.devices.append(device)
        }
        var objectNames = Set<ServiceName>()
        for item in try root.array("objects") {
            let object = try decodeObject(item.value, path: item.path, devices: deviceIDs)
            guard objectNames.insert(object.name).inserted else {
                throw RegistryError(.invalidManifest, "`\(item.path).name`: object `\(object.name)` appears twice")
            }
            manifest.objects.append(object)
        }
        try ManifestRules.complete(&manifest)
        try ManifestRules.check(manifest)
        return manifest
    }

    static func version(_ root: JSONObjectReader) throws -> String {
        let version = try root.requiredString("version")
        guard ManifestRules.isVersion(version) else {
            throw root.invalid("version", "`\(version)` is not a version: 1 to 64 of letters, digits and . + _ -")
        }
        return version
    }

    static func decodeInstance(_ json: JSONValue, path: String) throws -> InstanceSpec {
        let reader = try JSONObjectReader(json, path: path, allowed: Fields.instance)
        var instance = InstanceSpec()
        if let id = try reader.string("id") {
            guard ManifestRules.isIdentifier(id) else {
                throw reader.invalid("id", "`\(id)` is not an id: 1 to 128 of letters, digits and . _ -")
            }
            instance.id = id
        }
        if let tier = try reader.string("tier") {
            guard let value = DeploymentTier(rawValue: tier) else {
                throw reader.invalid("tier", "`\(tier)` is not one of device, edge, fog, cloud")
            }
            instance.tier = value
        }
        if let host = try reader.string("host") {
            guard ManifestRules.isIdentifier(host) else {
                throw reader.invalid("host", "`\(host)` is not a host id: 1 to 128 of letters, digits and . _ -")
            }
            instance.host = host
        }
        instance.weight = try reader.integer("weight", in: 0...10_000) ?? 100
        if let ttl = reader.value("ttl") {
            instance.ttlMilliseconds = try ManifestRules.ttl(ttl, path: reader.at("ttl"))
        }
        if let health = try reader.string("health") {
            guard let value = HealthStatus(rawValue: health) else {
                throw reader.invalid("health", "`\(health)` is not one of ok, degraded, broken")
            }
            instance.health = value
        }
        if let check = reader.value("check") {
            let checkReader = try JSONObjectReader(check, path: reader.at("check"), allowed: Fields.check)
            var spec = HealthCheckSpec(url: try url(checkReader, "http", schemes: Schemes.rest))
            try decodeTiming(checkReader, into: &spec)
            instance.check = spec
        }
        if let checks = reader.value("checks") {
            guard case .array(let entries) = checks else { throw reader.invalid("checks", "expected an array of checks") }
            guard entries.count <= 32 else { throw reader.invalid("checks", "at most 32 checks per instance") }
            var decoded: [HealthCheckSpec] = []
            var ids: Set<String> = instance.check.map { [$0.checkID] } ?? []
            for (position, entry) in entries.enumerated() {
                let spec = try decodeCheck(entry, path: reader.at("checks") + "[\(position)]")
                guard ids.insert(spec.checkID).inserted else {
                    throw RegistryError(.invalidManifest, "\(reader.at("checks"))[\(position)].id: `\(spec.checkID)` names two checks of the instance")
                }
                decoded.append(spec)
            }
            instance.checks = decoded
        }
        return instance
    }

    /// One entry of `instance.checks`: exactly one of `http`, `tcp`, `grpc`, `coap`, `ttl`.
    static func decodeCheck(_ json: JSONValue, path: String) throws -> HealthCheckSpec {
        let reader = try JSONObjectReader(json, path: path, allowed: Fields.checks)
        let kinds = HealthCheckSpec.Kind.allCases.filter { reader.value($0.rawValue) != nil }
        guard kinds.count == 1, let kind = kinds.first else {
            throw RegistryError(.invalidManifest, "\(path): a check has exactly one of http, tcp, grpc, coap, ttl")
        }
        var spec: HealthCheckSpec
        switch kind {
        case .http:
            spec = HealthCheckSpec(url: try url(reader, "http", schemes: Schemes.rest))
            spec.body = try reader.string("body")
        case .tcp, .grpc:
            let address = try reader.requiredString(kind.rawValue)
            guard HealthCheckSpec.hostAndPort(address) != nil else {
                throw reader.invalid(kind.rawValue, "expected host:port (a bracketed IPv6 address: [::1]:50051)")
            }
            spec = HealthCheckSpec(url: address)
            if kind == .grpc { spec.service = try reader.string("service") }
        case .coap:
            spec = HealthCheckSpec(url: try url(reader, "coap", schemes: ["coap"]))
        case .ttl:
            spec = HealthCheckSpec(url: "")
            spec.ttlMilliseconds = try ManifestRules.ttl(reader.value("ttl")!, path: reader.at("ttl"))
            guard spec.ttlMilliseconds! >= 1000 else { throw reader.invalid("ttl", "at least 1s") }
        }
        if kind != .http, reader.value("body") != nil { throw reader.invalid("body", "only an http check matches a body") }
        if kind != .grpc, reader.value("service") != nil { throw reader.invalid("service", "only a grpc check names a service") }
        spec.kind = kind
        if let id = try reader.string("id") {
            guard !id.isEmpty, id.count <= 64, id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) else {
                throw reader.invalid("id", "1 to 64 letters, digits, `-`, `_` or `.`")
            }
            spec.id = id
        }
        try decodeTiming(reader, into: &spec)
        spec.successesBeforePassing = try reader.integer("successBeforePassing", in: 1...100)
        spec.failuresBeforeCritical = try reader.integer("failuresBeforeCritical", in: 1...100)
        if let after = reader.value("deregisterAfter") {
            spec.deregisterAfterMilliseconds = try ManifestRules.ttl(after, path: reader.at("deregisterAfter"))
            guard spec.deregisterAfterMilliseconds! >= 1000 else { throw reader.invalid("deregisterAfter", "at least 1s") }
        }
        return spec
    }

    private static func decodeTiming(_ reader: JSONObjectReader, into spec: inout HealthCheckSpec) throws {
        if let interval = reader.value("interval") {
            spec.intervalMilliseconds = try ManifestRules.ttl(interval, path: reader.at("interval"))
            guard spec.intervalMilliseconds >= 1000 else { throw reader.invalid("interval", "at least 1s") }
        }
        if let timeout = reader.value("timeout") {
            spec.timeoutMilliseconds = try ManifestRules.ttl(timeout, path: reader.at("timeout"))
            guard spec.timeoutMilliseconds <= 60_000 else { throw reader.invalid("timeout", "at most 60s") }
        }
    }

    static func decodeDevice(_ json: JSONValue, path: String) throws -> DeviceSpec {
        let reader = try JSONObjectReader(json, path: path, allowed: Fields.device)
        let id = try reader.requiredString("id")
        let iri: String
        if let expanded = ManifestPrefixes.expand(id) {
            iri = expanded
        } else if ManifestRules.isIdentifier(id) {
            iri = "urn:registryd:device:" + id
        } else {
            throw reader.invalid("id", "`\(id)` is neither a local id (letters, digits, . _ -) nor an IRI")
        }
        return DeviceSpec(id: id, iri: iri, types: try reader.iris("types"), label: try reader.string("label"),
                          location: try reader.string("location"), observes: try reader.iris("observes"))
    }

    static func decodeObject(_ json: JSONValue, path: String, devices: Set<String>) throws -> ObjectSpec {
        let reader = try JSONObjectReader(json, path: path, allowed: Fields.object)
        var object = ObjectSpec(name: try reader.name("name"))
        object.label = try reader.string("label")
        object.description = try reader.string("description")
        object.types = try reader.iris("types")
        object.devices = try reader.strings("devices")
        for (index, device) in object.devices.enumerated() where !devices.contains(device) {
            throw RegistryError(.invalidManifest, "`\(reader.at("devices"))[\(index)]`: no device `\(device)` in the manifest's `devices`")
        }
        var members = Set<String>()
        for item in try reader.array("methods") {
            let method = try decodeMethod(item.value, path: item.path)
            try checkFullName(object.name, method.name, path: item.path)
            guard members.insert(method.name).inserted else {
                throw RegistryError(.invalidManifest, "`\(item.path).name`: `\(method.name)` appears twice in `\(object.name)`")
            }
            object.methods.append(method)
        }
        for item in try reader.array("channels") {
            let channel = try decodeChannel(item.value, path: item.path)
            try checkFullName(object.name, channel.name, path: item.path)
            guard members.insert(channel.name).inserted else {
                throw RegistryError(.invalidManifest, "`\(item.path).name`: `\(channel.name)` appears twice in `\(object.name)`")
            }
            object.channels.append(channel)
        }
        return object
    }

    /// The member's full name must be a valid name too (within the length limit).
    static func checkFullName(_ object: ServiceName, _ member: String, path: String) throws {
        do {
            _ = try object.appending(member)
        } catch let error as RegistryError {
            throw RegistryError(.invalidName, "`\(path).name`: the full name `\(object)/\(member)`: \(error.message)")
        }
    }

    static func memberName(_ reader: JSONObjectReader) throws -> String {
        let name = try reader.requiredString("name")
        guard ServiceName.isSegment(Substring(name)) else {
            throw RegistryError(.invalidName, "`\(reader.at("name"))`: `\(name)` is not a member name: letters, digits and . _ ~ -")
        }
        return name
    }

    static func decodeMethod(_ json: JSONValue, path: String) throws -> MethodSpec {
        let reader = try JSONObjectReader(json, path: path, allowed: Fields.method)
        var method = MethodSpec(name: try memberName(reader))
        method.label = try reader.string("label")
        method.description = try reader.string("description")
        method.category = try reader.string("category")
        method.inputs = try reader.array("inputs").map { try decodeParameter($0.value, path: $0.path) }
        method.outputs = try reader.array("outputs").map { try decodeParameter($0.value, path: $0.path) }
        method.preconditions = try reader.strings("preconditions")
        method.results = try reader.strings("results")
        if let sla = reader.value("sla") {
            let slaReader = try JSONObjectReader(sla, path: reader.at("sla"), allowed: Fields.sla)
            method.sla = SLASpec(maxLatencyMs: try slaReader.number("maxLatencyMs"), availability: try slaReader.number("availability"),
                                 maxRequestsPerSecond: try slaReader.number("maxRequestsPerSecond"))
            if let availability = method.sla?.availability, !(0...1).contains(availability) {
                throw slaReader.invalid("availability", "expected a fraction from 0 to 1")
            }
            if let latency = method.sla?.maxLatencyMs, latency < 0 { throw slaReader.invalid("maxLatencyMs", "cannot be negative") }
            if let rate = method.sla?.maxRequestsPerSecond, rate < 0 { throw slaReader.invalid("maxRequestsPerSecond", "cannot be negative") }
        }
        method.endpoints = try reader.array("endpoints").map { try decodeEndpoint($0.value, path: $0.path) }
        return method
    }

    static func decodeChannel(_ json: JSONValue, path: String) throws -> ChannelSpec {
        let reader = try JSONObjectReader(json, path: path, allowed: Fields.channel)
        var channel = ChannelSpec(name: try memberName(reader))
        channel.label = try reader.string("label")
        channel.description = try reader.string("description")
        channel.schema = reader.value("schema")?.jsonText
        channel.observes = try reader.iri("observes")
        channel.endpoints = try reader.array("endpoints").map { try decodeEndpoint($0.value, path: $0.path) }
        return channel
    }

    static func decodeParameter(_ json: JSONValue, path: String) throws -> ParameterSpec {
        let reader = try JSONObjectReader(json, path: path, allowed: Fields.parameter)
        return ParameterSpec(name: try reader.requiredString("name"), type: try reader.iri("type"), description: try reader.string("description"))
    }

    static func decodeEndpoint(_ json: JSONValue, path: String) throws -> EndpointSpec {
        guard case .object(let fields) = json, case .string(let name)? = fields["protocol"] else {
            throw RegistryError(.invalidManifest, "`\(path).protocol`: required, one of rest, coap, mqtt, amqp, other")
        }
        guard let proto = EndpointProtocol(rawValue: name) else {
            throw RegistryError(.invalidManifest, "`\(path).protocol`: `\(name)` is not one of rest, coap, mqtt, amqp, other")
        }
        switch proto {
        case .rest:
            let reader = try JSONObjectReader(json, path: path, allowed: Fields.rest)
            var endpoint = EndpointSpec(protocol: .rest, address: try url(reader, "url", schemes: Schemes.rest))
            let method = try reader.string("method") ?? "GET"
            guard ManifestRules.httpMethods.contains(method) else {
                throw reader.invalid("method", "`\(method)` is not an HTTP method (GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS)")
            }
            endpoint.httpMethod = method
            endpoint.contentType = try reader.string("contentType")
            return endpoint
        case .coap:
            let reader = try JSONObjectReader(json, path: path, allowed: Fields.coap)
            var endpoint = EndpointSpec(protocol: .coap, address: try url(reader, "uri", schemes: Schemes.coap))
            endpoint.contentType = try reader.string("contentType")
            return endpoint
        case .mqtt:
            let reader = try JSONObjectReader(json, path: path, allowed: Fields.mqtt)
            var endpoint = EndpointSpec(protocol: .mqtt, address: try url(reader, "broker", schemes: Schemes.mqtt))
            let topic = try reader.requiredString("topic")
            guard MQTTTopicFilter(topic) != nil else {
                throw reader.invalid("topic", "an MQTT topic or filter: not empty, no NUL, `+` and `#` alone in their level, `#` last")
            }
            endpoint.topic = topic
            endpoint.contentType = try reader.string("contentType")
            return endpoint
        case .amqp:
            let reader = try JSONObjectReader(json, path: path, allowed: Fields.amqp)
            var endpoint = EndpointSpec(protocol: .amqp, address: try url(reader, "broker", schemes: Schemes.amqp))
            endpoint.exchange = try reader.string("exchange")
            endpoint.routingKey = try reader.string("routingKey")
            endpoint.queue = try reader.string("queue")
            guard endpoint.exchange != nil || endpoint.queue != nil else {
                throw RegistryError(.invalidManifest, "`\(path)`: an AMQP endpoint needs an `exchange` or a `queue`")
            }
            endpoint.contentType = try reader.string("contentType")
            return endpoint
        case .other:
            let reader = try JSONObjectReader(json, path: path, allowed: Fields.other)
            let uri = try reader.requiredString("uri")
            guard IRIText.scheme(uri) != nil else { throw reader.invalid("uri", "`\(uri)` is not a URI (no scheme)") }
            var endpoint = EndpointSpec(protocol: .other, address: uri)
            endpoint.contentType = try reader.string("contentType")
            return endpoint
        }
    }

    static func url(_ reader: JSONObjectReader, _ key: String, schemes: Set<String>) throws -> String {
        let text = try reader.requiredString(key)
        guard let scheme = IRIText.scheme(text), schemes.contains(scheme) else {
            throw reader.invalid(key, "`\(text)` is not a URL with scheme \(schemes.sorted().joined(separator: ", "))")
        }
        return text
    }
}

/// The rules of the manifest's fields, one place for each: the three manifest readers and the
/// HTTP layer's query parameters and host bodies all check through here.
public enum ManifestRules {
    public static func isVersion(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 64 && text.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "."), UInt8(ascii: "+"), UInt8(ascii: "_"), UInt8(ascii: "-"): true
            default: false
            }
        }
    }

    /// A registration, instance or host id: 1 to 128 of letters, digits and `. _ -`, not `.` or `..`.
    public static func isIdentifier(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 128 && text != "." && text != ".." && text.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"): true
            default: false
            }
        }
    }

    /// A duration of at least 100 ms: `"30s"`-style text or a number of seconds.
    public static func ttl(_ value: JSONValue, path: String) throws -> Int64 {
        let milliseconds: Int64?
        switch value {
        case .string(let text): milliseconds = LeaseDuration.milliseconds(text)
        case .number(let seconds): milliseconds = seconds.isFinite && seconds >= 0 && seconds <= 365 * 86_400 ? Int64((seconds * 1000).rounded()) : nil
        default: milliseconds = nil
        }
        guard let milliseconds, milliseconds >= 100 else {
            throw RegistryError(.invalidManifest, "`\(path)`: expected a duration of at least 100ms such as \"30s\", \"5m\" or a number of seconds")
        }
        return milliseconds
    }

    /// Checks what holds across fields: every full member name (object name, `/`, member) is a
    /// valid name within the length limit, so that resolution can reach it.
    static func check(_ manifest: Manifest) throws {
        for object in manifest.objects {
            for member in object.methods.map(\.name) + object.channels.map(\.name) {
                do {
                    _ = try object.name.appending(member)
                } catch let error as RegistryError {
                    throw RegistryError(.invalidName, "`\(object.name)/\(member)`: \(error.message)")
                }
            }
        }
    }

    /// The HTTP methods a REST endpoint may name.
    static let httpMethods: Set<String> = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]

    /// Adds what every manifest has: the service's own virtual object with its `introspect`
    /// method (seed 001: "every microservice has a virtual object of its own name").
    static func complete(_ manifest: inout Manifest) throws {
        guard let url = manifest.introspect else { return }
        var introspect = MethodSpec(name: "introspect")
        introspect.description = "Returns the service's manifest."
        var endpoint = EndpointSpec(protocol: .rest, address: url)
        endpoint.httpMethod = "GET"
        endpoint.contentType = "application/json"
        introspect.endpoints = [endpoint]
        if let index = manifest.objects.firstIndex(where: { $0.name == manifest.name }) {
            let object = manifest.objects[index]
            if !object.methods.contains(where: { $0.name == "introspect" }) && !object.channels.contains(where: { $0.name == "introspect" }) {
                manifest.objects[index].methods.append(introspect)
            }
        } else {
            var object = ObjectSpec(name: manifest.name)
            object.methods = [introspect]
            manifest.objects.insert(object, at: 0)
        }
    }
}

extension ManifestDecoder {
    /// The fields each object may have, built once (a set literal at the call was rebuilt on
    /// every object of every request).
    enum Fields {
        static let manifest: Set<String> = ["name", "version", "label", "description", "category", "types", "introspect", "instance", "devices", "objects"]
        static let instance: Set<String> = ["id", "tier", "host", "weight", "ttl", "health", "check", "checks"]
        static let check: Set<String> = ["http", "interval", "timeout"]
        static let checks: Set<String> = ["id", "http", "body", "tcp", "grpc", "service", "coap", "ttl", "interval", "timeout",
                                          "successBeforePassing", "failuresBeforeCritical", "deregisterAfter"]
        static let device: Set<String> = ["id", "types", "label", "location", "observes"]
        static let object: Set<String> = ["name", "label", "description", "types", "devices", "methods", "channels"]
        static let method: Set<String> = ["name", "label", "description", "category", "inputs", "outputs", "preconditions", "results", "sla", "endpoints"]
        static let sla: Set<String> = ["maxLatencyMs", "availability", "maxRequestsPerSecond"]
        static let channel: Set<String> = ["name", "label", "description", "schema", "observes", "endpoints"]
        static let parameter: Set<String> = ["name", "type", "description"]
        static let rest: Set<String> = ["protocol", "url", "method", "contentType"]
        static let coap: Set<String> = ["protocol", "uri", "contentType"]
        static let mqtt: Set<String> = ["protocol", "broker", "topic", "contentType"]
        static let amqp: Set<String> = ["protocol", "broker", "exchange", "routingKey", "queue", "contentType"]
        static let other: Set<String> = ["protocol", "uri", "contentType"]
    }
}

extension ManifestDecoder {
    /// The URL schemes each protocol's endpoint may use.
    enum Schemes {
        static let rest: Set<String> = ["http", "https"]
        static let coap: Set<String> = ["coap", "coaps", "coap+tcp", "coaps+tcp"]
        static let mqtt: Set<String> = ["mqtt", "mqtts", "ws", "wss", "tcp", "ssl"]
        static let amqp: Set<String> = ["amqp", "amqps"]
    }
}
