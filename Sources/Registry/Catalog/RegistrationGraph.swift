import JSON
import Ontology

/// The named graph of a registration: the manifest mapped to RDF (``ManifestGraph``), or for an
/// RDF registration the client's own triples plus the instance's live state.
enum RegistrationGraph {
    /// What builds the graph when the store indexes it (``MemoryGraphs/Change/build(graph:triples:)``):
    /// a manifest is mapped then; an RDF document is parsed now, so that a broken one fails here.
    static func builder(of registration: Registration) throws -> @Sendable () -> [Triple] {
        if registration.source == .thingDescription, let document = registration.document {
            let (manifest, id, health, graphIRI) = (registration.manifest, registration.id, registration.health, registration.graphIRI)
            return { thingTriples(manifest: manifest, id: id, health: health, document: document, graphIRI: graphIRI) }
        }
        guard registration.source == .rdf, registration.document != nil, registration.instanceNode != nil else {
            let (manifest, id, health) = (registration.manifest, registration.id, registration.health)
            return { ManifestGraph(manifest: manifest, registrationID: id).triples(health: health) }
        }
        let triples = try triples(of: registration)
        return { triples }
    }

    static func triples(of registration: Registration) throws -> [Triple] {
        if registration.source == .thingDescription, let document = registration.document {
            return thingTriples(manifest: registration.manifest, id: registration.id, health: registration.health,
                                document: document, graphIRI: registration.graphIRI)
        }
        guard registration.source == .rdf, let document = registration.document, let instanceText = registration.instanceNode else {
            return ManifestGraph(manifest: registration.manifest, registrationID: registration.id).triples(health: registration.health)
        }
        var triples: [Triple] = []
        var parser = NTriplesParser()
        try parser.parse(document) { triples.append($0) }
        let instance = Term.iri(instanceText)
        triples.append(Triple(instance, RDF.type, .iri(MS.ServiceInstance)))
        triples.append(Triple(instance, IRI(MS.registrationId), .literal(Literal(registration.id))))
        triples.append(Triple(instance, IRI(MS.healthStatus), .iri(MS.health(registration.health))))
        return triples
    }

    /// A Thing Description's graph: the manifest it was read as, and the TD itself in the W3C
    /// TD ontology (``ThingDescriptionGraph``).
    static func thingTriples(manifest: Manifest, id: String, health: HealthStatus, document: String, graphIRI: String) -> [Triple] {
        var triples = ManifestGraph(manifest: manifest, registrationID: id).triples(health: health)
        if let json = try? JSONValue.parse(Array(document.utf8)) {
            triples += ThingDescriptionGraph.triples(of: json, graphIRI: graphIRI)
        }
        return triples
    }

    /// Names the document's instance node with an IRI (a blank node could not be found again to
    /// update its health), drops the state the registry owns (`ms:healthStatus`,
    /// `ms:registrationId` of the instance), links every endpoint to the instance, and keeps the
    /// rest as N-Triples.
    static func prepare(_ registration: RDFRegistration, graphIRI: String) -> (document: String, instanceNode: String, triples: [Triple]) {
        let instanceIRI: String
        if let iri = registration.instance?.iri?.value { instanceIRI = iri } else { instanceIRI = graphIRI + "#instance" }
        let instance = Term.iri(instanceIRI)
        let original = registration.instance
        var triples: [Triple] = []
        var endpoints = Set<Term>()
        let owned: Set<IRI> = [IRI(MS.healthStatus), IRI(MS.registrationId)]
        for var triple in registration.triples {
            if let original, triple.subject == original { triple.subject = instance }
            if let original, triple.object == original { triple.object = instance }
            if triple.subject == instance && owned.contains(triple.predicate) { continue }
            if triple.predicate == IRI(MS.hasEndpoint) { endpoints.insert(triple.object) }
            triples.append(triple)
        }
        if original == nil { triples.append(Triple(registration.service, IRI(MS.hasInstance), instance)) }
        for endpoint in endpoints.sorted(by: { $0.description < $1.description }) {
            triples.append(Triple(endpoint, IRI(MS.servedBy), instance))
        }
        var bytes: [UInt8] = []
        for triple in triples {
            NTriplesEscaping.appendTriple(triple, to: &bytes)
        }
        return (String(decoding: bytes, as: UTF8.self), instanceIRI, triples)
    }
}
