import Foundation
import JSON
import Ontology

/// Reads a W3C WoT Thing Description (TD 1.0/1.1, JSON-LD) as a manifest.
///
/// The Thing becomes a service with one virtual object of the service's name: its properties
/// and actions become methods, its events become event channels, and each form becomes an
/// endpoint whose protocol follows the href's scheme (http/https → REST, coap → CoAP,
/// mqtt → MQTT, amqp → AMQP, any other scheme kept as it is). An href may be an RFC 6570 URI
/// template (TD 1.1 §5.3.4.2, with `uriVariables`): the endpoint keeps the template. The
/// Thing's `@type`s that expand to IRIs (with the `@context` prefixes) make it a device the
/// service exposes, so a Thing typed `sosa:Sensor` is found as one; a plain term (`"Lamp"`)
/// stays in the Thing Description and its `td:` graph only.
///
/// What the TD specification allows is accepted: affordance names that are not registry
/// member names are mapped to ones that are (`on/off` → `on-off`), a `version.instance` that is
/// not a version leaves the version `0`.
///
/// A TD has no site-scoped name: the name is `overrides.name`, else the title when it is a
/// valid name, else `<host of base or first form>/<title>`.
public enum ThingDescriptionDecoder {
    /// Registration details a TD does not carry, given by the client (query parameters).
    public struct Overrides: Sendable {
        public var name: ServiceName?
        public var instance: InstanceSpec?
        /// What relative hrefs resolve against when the TD has no `base`: the URL the TD was
        /// stored at (a directory's `/things/{id}`); without one, they are refused.
        public var documentURL: String?
        public init(name: ServiceName? = nil, instance: InstanceSpec? = nil, documentURL: String? = nil) {
            self.name = name
            self.instance = instance
            self.documentURL = documentURL
        }
    }

    public static func decode(_ data: Data, overrides: Overrides = Overrides()) throws -> Manifest {
        try decode(ManifestDecoder.parse(Array(data)), overrides: overrides)
    }

    public static func decode(_ json: JSONValue, overrides: Overrides = Overrides()) throws -> Manifest {
        guard case .object(let fields) = json else {
            throw RegistryError(.invalidManifest, "a Thing Description must be a JSON object")
        }
        let prefixes = contextPrefixes(fields["@context"])
        guard prefixes.isTD else {
            throw RegistryError(.invalidManifest, "`@context`: not a Thing Description (expected https://www.w3.org/2019/wot/td/v1 or https://www.w3.org/2022/wot/td/v1.1)")
        }
        guard case .string(let title)? = fields["title"], !title.isEmpty else {
            throw RegistryError(.invalidManifest, "`title`: required (a string)")
        }
        var base = overrides.documentURL.flatMap { IRIResolver(base: $0) }
        if case .string(let baseText)? = fields["base"] {
            // A base may be a URI template too (`lorawan://{devEUI}/...`).
            guard IRI.isAbsolute(baseText.contains("{") ? IRIText.templateProbe(baseText) : baseText),
                  let resolver = IRIResolver(base: baseText) ?? IRIResolver(base: IRIText.templateProbe(baseText)) else {
                throw RegistryError(.invalidManifest, "`base`: `\(baseText)` is not an absolute URI")
            }
            base = resolver
        }
        var version = "0"
        if case .object(let versionFields)? = fields["version"], case .string(let instance)? = versionFields["instance"] {
            if ManifestRules.isVersion(instance) { version = instance }
        }

        var methods: [MethodSpec] = []
        var channels: [ChannelSpec] = []
        var firstHost: String?
        for (section, kind) in [("properties", "property"), ("actions", "action"), ("events", "event")] {
            guard let value = fields[section] else { continue }
            guard case .object(let affordances) = value else {
                throw RegistryError(.invalidManifest, "`\(section)`: expected an object of \(kind) affordances")
            }
            for key in affordances.keys.sorted() {
                let path = "\(section).\(key)"
                let memberName = uniqueMemberName(key, taken: Set(methods.map(\.name) + channels.map(\.name)))
                guard case .object(let affordance)? = affordances[key] else {
                    throw RegistryError(.invalidManifest, "`\(path)`: expected an object")
                }
                guard case .array(let forms)? = affordance["forms"], !forms.isEmpty else {
                    throw RegistryError(.invalidManifest, "`\(path).forms`: required, a non-empty array")
                }
                var endpoints: [EndpointSpec] = []
                for (index, form) in forms.enumerated() {
                    let endpoint = try decodeForm(form, path: "\(path).forms[\(index)]", kind: kind, base: base)
                    if firstHost == nil { firstHost = URLComponents(string: endpoint.address)?.host }
                    endpoints.append(endpoint)
                }
                let label = string(affordance["title"])
                let description = string(affordance["description"])
                if kind == "event" {
                    var channel = ChannelSpec(name: memberName)
                    channel.label = label
                    channel.description = description
                    if let data = affordance["data"] { channel.schema = data.jsonText }
                    channel.endpoints = endpoints
                    channels.append(channel)
                } else {
                    var method = MethodSpec(name: memberName)
                    method.label = label
                    method.description = description
                    method.category = kind
                    if kind == "action", let input = affordance["input"] {
                        method.inputs = [ParameterSpec(name: "input", type: xsdType(input), description: nil)]
                    }
                    if kind == "action", let output = affordance["output"] {
                        method.outputs = [ParameterSpec(name: "output", type: xsdType(output), description: nil)]
                    } else if kind == "property" {
                        method.outputs = [ParameterSpec(name: memberName, type: xsdType(.object(affordance)), description: nil)]
                    }
                    method.endpoints = endpoints
                    methods.append(method)
                }
            }
        }

        let name: ServiceName
        if let given = overrides.name {
            name = given
        } else if let titled = try? ServiceName(title) {
            name = titled
        } else {
            let site = base.flatMap { URLComponents(string: $0.base)?.host } ?? firstHost ?? "localhost"
            let segment = String(title.unicodeScalars.map { scalar -> Character in
                ServiceName.isSegment(Substring(String(scalar))) ? Character(scalar) : "-"
            })
            name = try ServiceName("\(site)/\(segment)")
        }
        var manifest = Manifest(name: name, version: version)
        manifest.label = title
        manifest.description = string(fields["description"])
        manifest.instance = overrides.instance ?? InstanceSpec()
        if manifest.instance.id == nil, case .string(let id)? = fields["id"] {
            let cleaned = String(id.unicodeScalars.map { scalar -> Character in
                ManifestRules.isIdentifier(String(scalar)) ? Character(scalar) : "-"
            }).prefix(128)
            if ManifestRules.isIdentifier(String(cleaned)) { manifest.instance.id = String(cleaned) }
        }
        var object = ObjectSpec(name: name)
        object.label = title
        object.methods = methods
        object.channels = channels
        let types = typeIRIs(fields["@type"], prefixes: prefixes.map)
        // A Thing with an IRI is a device the registration claims, typed or not: its `td:`
        // triples describe that IRI, which no other tenant's registration may then describe.
        let hasIRI = fields["id"]?.stringValue.map { IRI.isAbsolute($0) } ?? false
        if !types.isEmpty || hasIRI {
            var deviceIRI = "urn:registryd:device:" + IRIText.encodeSegment(name.value)
            if case .string(let id)? = fields["id"], IRI.isAbsolute(id) { deviceIRI = id }
            manifest.devices = [DeviceSpec(id: deviceIRI, iri: deviceIRI, types: types, label: title)]
            object.devices = [deviceIRI]
        }
        manifest.objects = [object]
        try ManifestRules.check(manifest)
        return manifest
    }

    struct Context {
        var isTD = false
        var map: [String: String] = [:]
    }

    static func contextPrefixes(_ value: JSONValue?) -> Context {
        var context = Context()
        let entries: [JSONValue]
        switch value {
        case .array(let items)?: entries = items
        case let item?: entries = [item]
        case nil: entries = []
        }
        for entry in entries {
            switch entry {
            case .string(let iri):
                if iri.hasPrefix("https://www.w3.org/2019/wot/td/v1") || iri.hasPrefix("https://www.w3.org/2022/wot/td/v1") ||
                    iri.hasPrefix("http://www.w3.org/ns/td") {
                    context.isTD = true
                }
            case .object(let fields):
                for (key, value) in fields {
                    if case .string(let namespace) = value, IRI.isAbsolute(namespace) { context.map[key] = namespace }
                }
            default:
                break
            }
        }
        return context
    }

    /// The `@type` values that are IRIs, absolute or compact with a prefix the `@context` (or
    /// the registry) defines. A term JSON-LD would need a remote context to expand is left out.
    static func typeIRIs(_ value: JSONValue?, prefixes: [String: String]) -> [String] {
        let items: [JSONValue]
        switch value {
        case .array(let list)?: items = list
        case let item?: items = [item]
        case nil: return []
        }
        return items.compactMap { item in
            guard case .string(let text) = item, text != "Thing", text != "tm:ThingModel" else { return nil }
            return ManifestPrefixes.expand(text, extra: prefixes)
        }
    }

    /// `key` as a member name: letters, digits and `. _ ~ -` kept, anything else `-`, made
    /// unique among the names already `taken` with a `-2`, `-3` ... suffix.
    static func uniqueMemberName(_ key: String, taken: Set<String>) -> String {
        var name = String(key.unicodeScalars.map { scalar -> Character in
            ServiceName.isSegment(Substring(String(scalar))) ? Character(scalar) : "-"
        }.prefix(100))
        if name.isEmpty || !ServiceName.isSegment(Substring(name)) { name = "affordance" }
        guard taken.contains(name) else { return name }
        var suffix = 2
        while taken.contains("\(name)-\(suffix)") { suffix += 1 }
        return "\(name)-\(suffix)"
    }

    static func string(_ value: JSONValue?) -> String? {
        if case .string(let text)? = value { return text }
        return nil
    }

    static func xsdType(_ schema: JSONValue) -> String? {
        guard case .object(let fields) = schema, case .string(let type)? = fields["type"] else { return nil }
        let xsd = "http://www.w3.org/2001/XMLSchema#"
        switch type {
        case "number": return xsd + "double"
        case "integer": return xsd + "integer"
        case "boolean": return xsd + "boolean"
        case "string": return xsd + "string"
        default: return nil
        }
    }

    static func decodeForm(_ json: JSONValue, path: String, kind: String, base: IRIResolver?) throws -> EndpointSpec {
        guard case .object(let form) = json, case .string(let href)? = form["href"] else {
            throw RegistryError(.invalidManifest, "`\(path).href`: required (a string)")
        }
        // An RFC 6570 template is not an IRI (`{` is not allowed in one), but has a scheme when absolute.
        let absolute: String
        if IRI.isAbsolute(href.contains("{") ? IRIText.templateProbe(href) : href) {
            absolute = href
        } else if let base {
            absolute = base.resolve(href)
        } else {
            throw RegistryError(.invalidManifest, "`\(path).href`: `\(href)` is relative and the Thing Description has no `base`")
        }
        // The base may be a template too, so the resolved href is checked as one.
        let isTemplate = absolute.contains("{")
        guard let scheme = IRIText.scheme(isTemplate ? IRIText.templateProbe(absolute) : absolute) else {
            throw RegistryError(.invalidManifest, "`\(path).href`: `\(absolute)` is not a URI")
        }
        var endpoint: EndpointSpec
        switch isTemplate && !["http", "https", "coap", "coaps", "coap+tcp", "coaps+tcp"].contains(scheme) ? "" : scheme {
        case "http", "https":
            endpoint = EndpointSpec(protocol: .rest, address: absolute)
            if let method = string(form["htv:methodName"]) {
                guard ManifestRules.httpMethods.contains(method) else {
                    throw RegistryError(.invalidManifest, "`\(path).htv:methodName`: `\(method)` is not one of \(ManifestRules.httpMethods.sorted().joined(separator: ", "))")
                }
                endpoint.httpMethod = method
            } else {
                let operations: [String]
                switch form["op"] {
                case .string(let op)?: operations = [op]
                case .array(let ops)?: operations = ops.compactMap { string($0) }
                default: operations = kind == "property" ? ["readproperty"] : kind == "action" ? ["invokeaction"] : ["subscribeevent"]
                }
                endpoint.httpMethod = operations.contains("readproperty") ? "GET"
                    : operations.contains("writeproperty") ? "PUT" : kind == "event" ? "GET" : "POST"
            }
        case "coap", "coaps", "coap+tcp", "coaps+tcp":
            endpoint = EndpointSpec(protocol: .coap, address: absolute)
        case "mqtt", "mqtts":
            guard let components = URLComponents(string: absolute), let host = components.host else {
                endpoint = EndpointSpec(protocol: .other, address: absolute)
                break
            }
            let broker = "\(scheme)://\(host)" + (components.port.map { ":\($0)" } ?? "")
            endpoint = EndpointSpec(protocol: .mqtt, address: broker)
            var topic = string(form["mqv:topic"]) ?? string(form["mqv:filter"]) ?? String(components.path.drop { $0 == "/" })
            if topic.isEmpty { topic = "#" }
            endpoint.topic = topic
        case "amqp", "amqps":
            guard let components = URLComponents(string: absolute), let host = components.host else {
                endpoint = EndpointSpec(protocol: .other, address: absolute)
                break
            }
            endpoint = EndpointSpec(protocol: .amqp, address: "\(scheme)://\(host)" + (components.port.map { ":\($0)" } ?? ""))
            let target = String(components.path.drop { $0 == "/" })
            endpoint.exchange = target.isEmpty ? "amq.topic" : target
        default:
            // TD allows any scheme; the endpoint keeps its URI (TD 1.1 §5.3.4.2).
            endpoint = EndpointSpec(protocol: .other, address: absolute)
        }
        endpoint.contentType = string(form["contentType"])
        return endpoint
    }
}
