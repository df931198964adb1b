import Ontology

/// What a registration may state, and about which resources (docs/trust.md).
///
/// Services of different owners share one graph, so a registration must not be able to add
/// facts about a resource it does not own: a type that a policy reads (`resource is
/// c:PublicResource`), an endpoint on another tenant's method, a health status on another
/// tenant's instance, or a schema statement that changes what reasoning entails for everyone.
/// The registry refuses such a registration (403) and names the triple, rather than keeping the
/// triple and hiding it, so that a tenant learns at once that its document says too much.
///
/// A registration may describe (be the subject of triples about):
/// - blank nodes, and the IRIs of its own namespace (its graph IRI, `urn:registryd:registration:<id>`,
///   and `#…` under it), which the registry mints for manifests;
/// - other IRIs (devices, the client's own IRIs of an RDF registration) that it *claims* for its
///   site (the first segment of its service name): refused when the admin's graphs describe
///   them, when a live registration of another site claims them, or when they are `http(s)`
///   IRIs on the host of another registered site.
/// It may never describe another registration's or a host's IRIs, state schema
/// (``schemaPredicates``), or name (`ms:name`) a full API name its token may not register.
public enum RegistrationTrust {
    /// The predicates that state schema: only the admin's graphs may use them.
    public static let schemaPredicates: Set<IRI> = [
        RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range,
        OWL.inverseOf, OWL.equivalentClass, OWL.equivalentProperty,
    ]

    /// The base IRI of a registration uploaded without one: its relative IRIs are moved into
    /// the registration's own namespace (``rebased(_:into:)``), so that two tenants' `<#service>`
    /// never meet.
    public static let uploadBaseIRI = "urn:registryd:upload"

    static let registrationPrefix = ManifestGraph.graphPrefix

    /// The registration with IRIs under ``uploadBaseIRI`` moved under `graphIRI`.
    static func rebased(_ registration: RDFRegistration, into graphIRI: String) -> RDFRegistration {
        func move(_ term: Term) -> Term {
            guard case .iri(let iri) = term, iri.value.hasPrefix(uploadBaseIRI) else { return term }
            let rest = iri.value.dropFirst(uploadBaseIRI.count)
            guard rest.isEmpty || rest.first == "#" || rest.first == "/" else { return term }
            return .iri(graphIRI + rest)
        }
        var moved = registration
        moved.triples = registration.triples.map { Triple(move($0.subject), $0.predicate, move($0.object)) }
        moved.service = move(registration.service)
        moved.instance = registration.instance.map(move)
        return moved
    }

    static let hostPrefix = "urn:registryd:host:"

    /// The IRIs outside its own namespace that a registration describes, after checking the
    /// rules that need nothing but the registration itself.
    /// - Throws: ``RegistryError`` `registration.not_owned` or `registration.schema_statement`.
    static func claims(of input: RegistrationInput, graphIRI: String, grants: NameGrants) throws -> Set<String> {
        var claimed: Set<String> = []
        switch input {
        case .manifest(let manifest, _):
            for device in manifest.devices where device.isDescribed {
                if let iri = try claim(.iri(device.iri), graphIRI: graphIRI, describedBy: "the device `\(device.id)`") {
                    claimed.insert(iri)
                }
            }
        case .rdf(let registration):
            for triple in registration.triples {
                if schemaPredicates.contains(triple.predicate)
                    || (triple.predicate == RDF.type && triple.object == .iri(OWL.transitiveProperty)) {
                    throw RegistryError(.schemaStatement, "`\(triple)`: schema statements (subclasses, subproperties, domains, ranges, inverses, equivalences, transitive properties) count only from the admin's graphs; a registration may not state them")
                }
                if triple.predicate == IRI(MS.name), let text = triple.object.literal?.lexicalForm, text.contains("/") {
                    guard let name = try? ServiceName(text), grants.allows(name) else {
                        throw RegistryError(.notOwned, "`\(triple)`: this token may not register the name `\(text)`")
                    }
                }
                if let iri = try claim(triple.subject, graphIRI: graphIRI, describedBy: "`\(triple)`") { claimed.insert(iri) }
            }
        }
        return claimed
    }

    /// The full API names (`site/...`) an RDF registration's `ms:name` statements hold: the
    /// caller must be allowed to register each (``claims(of:graphIRI:grants:)``).
    static func fullNames(in input: RegistrationInput) -> [ServiceName] {
        guard case .rdf(let registration) = input else { return [] }
        return registration.triples.compactMap { triple in
            guard triple.predicate == IRI(MS.name), let text = triple.object.literal?.lexicalForm, text.contains("/") else { return nil }
            return try? ServiceName(text)
        }
    }

    /// The IRIs a stored registration claims, for the registry's index of claims (the checks
    /// passed when it was registered).
    static func claimedIRIs(of registration: Registration) -> Set<String> {
        let graphIRI = registration.graphIRI
        var result: Set<String> = []
        func add(_ term: Term) {
            if case .iri(let iri) = term, !owns(graphIRI: graphIRI, iri.value) { result.insert(iri.value) }
        }
        if registration.source == .rdf, let document = registration.document {
            var parser = NTriplesParser()
            try? parser.parse(document) { add($0.subject) }
        } else {
            for device in registration.manifest.devices where device.isDescribed { add(.iri(IRI(device.iri))) }
        }
        return result
    }

    /// Whether the IRI lies in the namespace the registry minted for the registration's graph.
    static func owns(graphIRI: String, _ value: String) -> Bool {
        value == graphIRI || value.hasPrefix(graphIRI + "#") || value.hasPrefix(graphIRI + "/")
    }

    /// The IRI a subject claims, nil for what the registration owns outright.
    private static func claim(_ subject: Term, graphIRI: String, describedBy what: String) throws -> String? {
        guard case .iri(let iri) = subject else { return nil }
        let value = iri.value
        if owns(graphIRI: graphIRI, value) { return nil }
        if value.hasPrefix(registrationPrefix) {
            throw RegistryError(.notOwned, "\(what) describes <\(value)>, which belongs to another registration")
        }
        if value.hasPrefix(hostPrefix) {
            throw RegistryError(.notOwned, "\(what) describes <\(value)>, a host's node, which only the registry writes")
        }
        return value
    }

    /// The host of an `http` or `https` IRI, lowercased.
    static func httpHost(of iri: String) -> String? {
        let lowered = iri.prefix(8).lowercased()
        let rest: Substring
        if lowered.hasPrefix("https://") { rest = iri.dropFirst(8) } else if lowered.hasPrefix("http://") { rest = iri.dropFirst(7) } else { return nil }
        var host = rest.prefix { !"/?#".contains($0) }
        if let at = host.lastIndex(of: "@") { host = host[host.index(after: at)...] }
        if let colon = host.lastIndex(of: ":"), !host.hasSuffix("]") { host = host[..<colon] }
        return host.isEmpty ? nil : host.lowercased()
    }

    /// The site (a registered service's first name segment) that owns the host: the host itself
    /// or its nearest parent domain among `sites`.
    static func site(owningHost host: String, among sites: [String: Int]) -> String? {
        var candidate = Substring(host)
        while true {
            if sites[String(candidate)] != nil { return String(candidate) }
            guard let dot = candidate.firstIndex(of: ".") else { return nil }
            candidate = candidate[candidate.index(after: dot)...]
        }
    }
}

extension DeviceSpec {
    /// Whether the manifest states anything about the device itself (its node is then the
    /// subject of triples), rather than only linking to it.
    var isDescribed: Bool { !types.isEmpty || label != nil || location != nil || !observes.isEmpty }
}
