import Foundation
import Ontology

/// Maps a manifest to the RDF graph of its registration, in the vocabulary of
/// `ontologies/microservice.rdf` and `ontologies/service-profile.rdf`.
///
/// Every node but the devices is named under the registration's graph IRI
/// (`urn:registryd:registration:<id>#...`), so two registrations never state the same triple
/// about the same node and the union default graph holds each fact once per instance. Devices
/// keep their own IRIs: they are the physical things several services may expose.
public struct ManifestGraph: Sendable {
    public let manifest: Manifest
    public let registrationID: String

    public init(manifest: Manifest, registrationID: String) {
        self.manifest = manifest
        self.registrationID = registrationID
    }

    /// The registration's named graph.
    public static func graphIRI(registrationID: String) -> String {
        graphPrefix + IRIText.encodeSegment(registrationID)
    }

    /// What every registration's graph IRI starts with.
    public static let graphPrefix = "urn:registryd:registration:"

    public var graphIRI: String { Self.graphIRI(registrationID: registrationID) }
    public var serviceIRI: String { graphIRI + "#service" }
    public var instanceIRI: String { graphIRI + "#instance" }

    /// The triples of the registration, for the given health (which changes without a new manifest).
    public func triples(health: HealthStatus) -> [Triple] {
        var builder = Builder()
        let service = Term.iri(serviceIRI)
        let instance = Term.iri(instanceIRI)
        builder.type(service, MS.Microservice)
        for type in manifest.types { builder.type(service, type) }
        builder.literal(service, MS.name, manifest.name.value)
        builder.literal(service, MS.site, manifest.name.site)
        builder.literal(service, MS.version, manifest.version)
        builder.literal(service, RDFS.label.value, manifest.label)
        builder.literal(service, RDFS.comment.value, manifest.description)
        builder.literal(service, SP.category, manifest.category)
        builder.literal(service, MS.introspectURL, manifest.introspect)
        builder.link(service, MS.hasInstance, instance)

        let spec = manifest.instance
        builder.type(instance, MS.ServiceInstance)
        builder.literal(instance, MS.registrationId, registrationID)
        builder.literal(instance, MS.version, manifest.version)
        builder.link(instance, MS.deploymentTier, .iri(MS.tier(spec.tier)))
        builder.link(instance, MS.healthStatus, .iri(MS.health(health)))
        builder.integer(instance, MS.weight, spec.weight)
        if let host = spec.host {
            builder.literal(instance, MS.hostName, host)
            builder.link(instance, MS.runsOn, .iri(HostRecord.iri(id: host)))
        }
        if let ttl = spec.ttlMilliseconds { builder.integer(instance, MS.leaseSeconds, Int((ttl + 999) / 1000)) }

        var deviceIRIs: [String: String] = [:]
        for device in manifest.devices {
            deviceIRIs[device.id] = device.iri
            let node = Term.iri(device.iri)
            for type in device.types { builder.type(node, type) }
            builder.literal(node, RDFS.label.value, device.label)
            builder.literal(node, MS.location, device.location)
            for property in device.observes { builder.link(node, "http://www.w3.org/ns/sosa/observes", .iri(property)) }
            builder.link(service, MS.exposes, node)
        }

        for (objectIndex, object) in manifest.objects.enumerated() {
            let objectNode = Term.iri("\(graphIRI)#object-\(objectIndex)")
            builder.type(objectNode, MS.VirtualObject)
            for type in object.types { builder.type(objectNode, type) }
            builder.literal(objectNode, MS.name, object.name.value)
            builder.literal(objectNode, RDFS.label.value, object.label)
            builder.literal(objectNode, RDFS.comment.value, object.description)
            builder.link(service, MS.hasVirtualObject, objectNode)
            for device in object.devices {
                if let iri = deviceIRIs[device] { builder.link(objectNode, MS.exposes, .iri(iri)) }
            }
            for (methodIndex, method) in object.methods.enumerated() {
                let base = "\(graphIRI)#object-\(objectIndex)-method-\(methodIndex)"
                let node = Term.iri(base)
                builder.type(node, MS.Method)
                builder.link(objectNode, MS.hasMethod, node)
                builder.literal(node, MS.name, method.name)
                builder.literal(node, RDFS.label.value, method.label)
                builder.literal(node, RDFS.comment.value, method.description)
                builder.literal(node, SP.category, method.category)
                for (index, parameter) in method.inputs.enumerated() {
                    builder.parameter(node, SP.hasInput, SP.Input, .iri("\(base)-input-\(index)"), parameter)
                }
                for (index, parameter) in method.outputs.enumerated() {
                    builder.parameter(node, SP.hasOutput, SP.Output, .iri("\(base)-output-\(index)"), parameter)
                }
                for (index, text) in method.preconditions.enumerated() {
                    let condition = Term.iri("\(base)-precondition-\(index)")
                    builder.type(condition, SP.Precondition)
                    builder.literal(condition, SP.expression, text)
                    builder.link(node, SP.hasPrecondition, condition)
                }
                for (index, text) in method.results.enumerated() {
                    let condition = Term.iri("\(base)-result-\(index)")
                    builder.type(condition, SP.Result)
                    builder.literal(condition, SP.expression, text)
                    builder.link(node, SP.hasResult, condition)
                }
                if let sla = method.sla {
                    let slaNode = Term.iri("\(base)-sla")
                    builder.type(slaNode, SP.ServiceLevelAgreement)
                    builder.decimal(slaNode, SP.maxLatencyMs, sla.maxLatencyMs)
                    builder.decimal(slaNode, SP.availability, sla.availability)
                    builder.decimal(slaNode, SP.maxRequestsPerSecond, sla.maxRequestsPerSecond)
                    builder.link(node, SP.hasSLA, slaNode)
                }
                builder.endpoints(node, base, method.endpoints, instance: instance)
            }
            for (channelIndex, channel) in object.channels.enumerated() {
                let base = "\(graphIRI)#object-\(objectIndex)-channel-\(channelIndex)"
                let node = Term.iri(base)
                builder.type(node, MS.EventChannel)
                builder.link(objectNode, MS.hasEventChannel, node)
                builder.literal(node, MS.name, channel.name)
                builder.literal(node, RDFS.label.value, channel.label)
                builder.literal(node, RDFS.comment.value, channel.description)
                builder.literal(node, MS.messageSchema, channel.schema)
                if let property = channel.observes { builder.link(node, MS.publishesProperty, .iri(property)) }
                builder.endpoints(node, base, channel.endpoints, instance: instance)
            }
        }
        return builder.triples
    }

    struct Builder {
        var triples: [Triple] = []

        mutating func type(_ subject: Term, _ type: String) {
            triples.append(Triple(subject, RDF.type, .iri(type)))
        }

        mutating func link(_ subject: Term, _ predicate: String, _ object: Term) {
            triples.append(Triple(subject, IRI(predicate), object))
        }

        mutating func literal(_ subject: Term, _ predicate: String, _ value: String?) {
            guard let value else { return }
            triples.append(Triple(subject, IRI(predicate), .literal(Literal(value))))
        }

        mutating func integer(_ subject: Term, _ predicate: String, _ value: Int) {
            triples.append(Triple(subject, IRI(predicate), .literal(Literal(String(value), datatype: XSD.integer))))
        }

        mutating func decimal(_ subject: Term, _ predicate: String, _ value: Double?) {
            guard let value else { return }
            triples.append(Triple(subject, IRI(predicate), .literal(Literal(Self.decimalText(value), datatype: XSD.decimal))))
        }

        /// xsd:decimal's lexical form: no exponent, always a point.
        static func decimalText(_ value: Double) -> String {
            if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) + ".0" }
            var text = String(format: "%.12f", value)
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text += "0" }
            return text
        }

        mutating func parameter(_ owner: Term, _ predicate: String, _ type: String, _ node: Term, _ parameter: ParameterSpec) {
            self.type(node, type)
            link(owner, predicate, node)
            literal(node, SP.parameterName, parameter.name)
            literal(node, RDFS.comment.value, parameter.description)
            if let iri = parameter.type { link(node, SP.parameterType, .iri(iri)) }
        }

        mutating func endpoints(_ owner: Term, _ base: String, _ endpoints: [EndpointSpec], instance: Term) {
            for (index, endpoint) in endpoints.enumerated() {
                let node = Term.iri("\(base)-endpoint-\(index)")
                type(node, MS.Endpoint)
                type(node, MS.endpointClass(endpoint.protocol))
                link(owner, MS.hasEndpoint, node)
                link(node, MS.servedBy, instance)
                literal(node, MS.protocol, endpoint.protocol.rawValue)
                literal(node, MS.address, endpoint.address)
                literal(node, MS.httpMethod, endpoint.httpMethod)
                literal(node, MS.topic, endpoint.topic)
                literal(node, MS.exchange, endpoint.exchange)
                literal(node, MS.routingKey, endpoint.routingKey)
                literal(node, MS.queue, endpoint.queue)
                literal(node, MS.contentType, endpoint.contentType)
            }
        }
    }
}
