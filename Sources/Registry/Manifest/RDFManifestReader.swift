import Ontology

/// Reads a registration written as RDF (the "annotated OWL/RDF manifest" of seed 001) in the
/// project's vocabulary: one `ms:Microservice` with `ms:name` and `ms:version`, its
/// `ms:hasInstance`, `ms:hasVirtualObject` / `ms:hasMethod` / `ms:hasEventChannel`, and
/// `ms:hasEndpoint` with `ms:protocol` and `ms:address`.
///
/// The document's own triples are kept as the registration's graph (``RDFRegistration``); the
/// ``Manifest`` read here indexes it for listing, filters and name resolution.
public enum RDFManifestReader {
    /// Parses `bytes` in `format` and reads the registration in it.
    public static func read(_ bytes: [UInt8], format: RDFFormat, baseIRI: String) throws -> RDFRegistration {
        var triples: [Triple] = []
        do {
            try bytes.withUnsafeBufferPointer { buffer in
                try RDFParser.parse(buffer, format: format, baseIRI: baseIRI) { triple in
                    triples.append(triple)
                    if triples.count > 100_000 {
                        throw RegistryError(.invalidManifest, "an RDF registration may hold at most 100000 triples")
                    }
                }
            }
        } catch let error as OntologyError {
            throw RegistryError(.syntax, "the RDF document is not valid: \(error.message)")
        }
        return try read(triples)
    }

    /// Reads the registration in a parsed graph.
    public static func read(_ triples: [Triple]) throws -> RDFRegistration {
        let graph = Graph(triples)
        let services = graph.subjects(RDF.type, .iri(MS.Microservice))
        guard let service = services.first else {
            throw RegistryError(.invalidManifest, "the RDF document describes no ms:Microservice (\(MS.Microservice))")
        }
        guard services.count == 1 else {
            throw RegistryError(.invalidManifest, "the RDF document describes \(services.count) ms:Microservice resources; a registration has one")
        }
        guard let nameText = graph.literal(service, MS.name) else {
            throw RegistryError(.invalidManifest, "the ms:Microservice has no ms:name")
        }
        let name = try ServiceName(nameText)
        guard let version = graph.literal(service, MS.version), ManifestRules.isVersion(version) else {
            throw RegistryError(.invalidManifest, "the ms:Microservice needs an ms:version of letters, digits and . + _ -")
        }
        var manifest = Manifest(name: name, version: version)
        manifest.label = graph.literal(service, RDFS.label.value)
        manifest.description = graph.literal(service, RDFS.comment.value)
        manifest.category = graph.literal(service, SP.category)
        manifest.introspect = graph.literal(service, MS.introspectURL)
        manifest.types = graph.objects(service, RDF.type.value).compactMap(\.iri?.value).filter { $0 != MS.Microservice }

        let instance = graph.objects(service, MS.hasInstance).first
        if let instance {
            if let id = graph.literal(instance, MS.registrationId) {
                guard ManifestRules.isIdentifier(id) else { throw RegistryError(.invalidManifest, "ms:registrationId `\(id)` is not an id") }
                manifest.instance.id = id
            }
            if let tier = graph.objects(instance, MS.deploymentTier).first?.iri?.value {
                guard let value = DeploymentTier.allCases.first(where: { MS.tier($0) == tier }) else {
                    throw RegistryError(.invalidManifest, "ms:deploymentTier <\(tier)> is not one of ms:DeviceTier, ms:EdgeTier, ms:FogTier, ms:CloudTier")
                }
                manifest.instance.tier = value
            }
            if let host = graph.literal(instance, MS.hostName) {
                guard ManifestRules.isIdentifier(host) else { throw RegistryError(.invalidManifest, "ms:hostName `\(host)` is not a host id") }
                manifest.instance.host = host
            }
            if let weight = graph.literal(instance, MS.weight) {
                guard let value = Int(weight), (0...10_000).contains(value) else {
                    throw RegistryError(.invalidManifest, "ms:weight `\(weight)` is not an integer from 0 to 10000")
                }
                manifest.instance.weight = value
            }
            if let lease = graph.literal(instance, MS.leaseSeconds) {
                guard let value = Int64(lease), value >= 1, value <= 365 * 86_400 else {
                    throw RegistryError(.invalidManifest, "ms:leaseSeconds `\(lease)` is not a number of seconds")
                }
                manifest.instance.ttlMilliseconds = value * 1000
            }
            if let health = graph.objects(instance, MS.healthStatus).first?.iri?.value {
                guard let value = HealthStatus.allCases.first(where: { MS.health($0) == health }) else {
                    throw RegistryError(.invalidManifest, "ms:healthStatus <\(health)> is not one of ms:Healthy, ms:Degraded, ms:Broken")
                }
                manifest.instance.health = value
            }
        }
        for device in graph.objects(service, MS.exposes) {
            guard let iri = device.iri?.value else { continue }
            manifest.devices.append(DeviceSpec(id: iri, iri: iri, types: graph.objects(device, RDF.type.value).compactMap(\.iri?.value)))
        }
        for objectNode in graph.objects(service, MS.hasVirtualObject) {
            guard let objectName = graph.literal(objectNode, MS.name) else {
                throw RegistryError(.invalidManifest, "a ms:VirtualObject of the service has no ms:name")
            }
            var object = ObjectSpec(name: try ServiceName(objectName))
            object.label = graph.literal(objectNode, RDFS.label.value)
            for methodNode in graph.objects(objectNode, MS.hasMethod) {
                var method = MethodSpec(name: try memberName(graph, methodNode, in: object.name))
                method.label = graph.literal(methodNode, RDFS.label.value)
                method.category = graph.literal(methodNode, SP.category)
                method.endpoints = try endpoints(graph, methodNode)
                object.methods.append(method)
            }
            for channelNode in graph.objects(objectNode, MS.hasEventChannel) {
                var channel = ChannelSpec(name: try memberName(graph, channelNode, in: object.name))
                channel.label = graph.literal(channelNode, RDFS.label.value)
                channel.observes = graph.objects(channelNode, MS.publishesProperty).first?.iri?.value
                channel.endpoints = try endpoints(graph, channelNode)
                object.channels.append(channel)
            }
            object.methods.sort { $0.name < $1.name }
            object.channels.sort { $0.name < $1.name }
            manifest.objects.append(object)
        }
        manifest.objects.sort { $0.name < $1.name }
        try ManifestRules.check(manifest)
        return RDFRegistration(manifest: manifest, triples: triples, service: service, instance: instance)
    }

    static func memberName(_ graph: Graph, _ node: Term, in object: ServiceName) throws -> String {
        guard let name = graph.literal(node, MS.name), ServiceName.isSegment(Substring(name)) else {
            throw RegistryError(.invalidManifest, "a method or channel of `\(object)` has no ms:name of letters, digits and . _ ~ -")
        }
        return name
    }

    static func endpoints(_ graph: Graph, _ node: Term) throws -> [EndpointSpec] {
        try graph.objects(node, MS.hasEndpoint).map { endpointNode in
            guard let protoText = graph.literal(endpointNode, MS.protocol), let proto = EndpointProtocol(rawValue: protoText) else {
                throw RegistryError(.invalidManifest, "an ms:Endpoint needs ms:protocol \"rest\", \"coap\", \"mqtt\" or \"amqp\"")
            }
            guard let address = graph.literal(endpointNode, MS.address), IRI.isAbsolute(address) else {
                throw RegistryError(.invalidManifest, "an ms:Endpoint needs an ms:address that is an absolute URL")
            }
            var endpoint = EndpointSpec(protocol: proto, address: address)
            endpoint.httpMethod = graph.literal(endpointNode, MS.httpMethod) ?? (proto == .rest ? "GET" : nil)
            if let method = endpoint.httpMethod, !ManifestRules.httpMethods.contains(method) {
                throw RegistryError(.invalidManifest, "ms:httpMethod `\(method)` is not one of \(ManifestRules.httpMethods.sorted().joined(separator: ", "))")
            }
            endpoint.topic = graph.literal(endpointNode, MS.topic)
            endpoint.exchange = graph.literal(endpointNode, MS.exchange)
            endpoint.routingKey = graph.literal(endpointNode, MS.routingKey)
            endpoint.queue = graph.literal(endpointNode, MS.queue)
            endpoint.contentType = graph.literal(endpointNode, MS.contentType)
            return endpoint
        }.sorted { ($0.protocol, $0.address) < ($1.protocol, $1.address) }
    }

    /// A small in-memory index of a document's triples.
    struct Graph {
        var bySubject: [Term: [(IRI, Term)]] = [:]

        init(_ triples: [Triple]) {
            for triple in triples { bySubject[triple.subject, default: []].append((triple.predicate, triple.object)) }
        }

        func objects(_ subject: Term, _ predicate: String) -> [Term] {
            let iri = IRI(predicate)
            return (bySubject[subject] ?? []).filter { $0.0 == iri }.map(\.1)
        }

        func literal(_ subject: Term, _ predicate: String) -> String? {
            objects(subject, predicate).compactMap(\.literal?.lexicalForm).first
        }

        func subjects(_ predicate: IRI, _ object: Term) -> [Term] {
            bySubject.filter { $0.value.contains { $0.0 == predicate && $0.1 == object } }.map(\.key)
        }
    }
}

/// A registration read from RDF: the manifest that indexes it and the document's triples.
public struct RDFRegistration: Sendable {
    public var manifest: Manifest
    public var triples: [Triple]
    /// The `ms:Microservice` node.
    public var service: Term
    /// The `ms:ServiceInstance` node, when the document has one.
    public var instance: Term?
}
