import JSON

/// Fills an `AttributeBag` for one decision from the subject's evidence, following each
/// attribute's declared source: credentials only from the authorities it names, registry
/// records, the request's context, or the resource's RDF.
public enum AttributeResolver {
    public static func resolve(_ evidence: SubjectEvidence, api: String, at time: Double, policies: PolicySet,
                               verifier: CredentialVerifier, ontology: (any OntologySource)?) -> AttributeBag {
        var bag = AttributeBag(slots: policies.attributes.count)
        var valid: [VerifiedCredential] = []
        var refused: [(issuer: String?, attributes: [String: JSONValue], reason: String)] = []
        for token in evidence.credentials {
            switch verifier.verify(token) {
            case .success(let credential):
                if let problem = credential.problem(for: evidence.subject, at: time) {
                    refused.append((credential.issuer, credential.attributes, problem))
                } else {
                    valid.append(credential)
                }
            case .failure(let problem):
                refused.append((nil, [:], problem.description))
            }
        }

        for declaration in policies.attributes {
            let name = declaration.reference.name
            let slot = declaration.slot
            func take(_ json: JSONValue, expires: Double?) {
                switch AttributeValue.from(json, as: declaration.type) {
                case .success(let value): bag.set(slot, value, expires: expires)
                case .failure(let problem): bag.refuse(slot, .wrongType("\(declaration.reference): \(problem)"))
                }
            }
            switch declaration.source {
            case .authorities(let names):
                if let trusted = evidence.trusted {
                    if let json = trusted[name] { take(json, expires: nil) } else { bag.refuse(slot, .missing("no value given")) }
                    continue
                }
                if let credential = valid.first(where: { names.contains($0.issuer) && $0.attributes[name] != nil }), let json = credential.attributes[name] {
                    take(json, expires: credential.expires)
                } else if let other = valid.first(where: { $0.attributes[name] != nil }) {
                    bag.refuse(slot, .refused("\(declaration.reference) must come from \(names.map { "\"\($0)\"" }.joined(separator: " or ")); the credential from \(other.issuer) is not accepted for it"))
                } else if let failed = refused.first(where: { $0.attributes[name] != nil }) ?? refused.first {
                    bag.refuse(slot, .refused(failed.reason))
                } else {
                    bag.refuse(slot, .missing("no credential from \(names.joined(separator: " or ")) carries it"))
                }
            case .registry:
                if let json = evidence.registryAttributes[name] ?? evidence.trusted?[name] { take(json, expires: nil) } else { bag.refuse(slot, .missing("the subject's registry record has no '\(name)'")) }
            case .request:
                if let json = evidence.context[name] { take(json, expires: nil) } else { bag.refuse(slot, .missing("the request's context has no '\(name)'")) }
            case .property(let property):
                guard let ontology else {
                    bag.refuse(slot, .missing("no store to read <\(property)> from"))
                    continue
                }
                let values = ontology.values(of: property, api: api)
                if values.isEmpty {
                    bag.refuse(slot, .missing("the resource has no <\(property)>"))
                } else if case .set = declaration.type {
                    take(.array(values.map(JSONValue.string)), expires: nil)
                } else if values.count > 1 {
                    // Which one would be a guess (the store's order): an error, so it fails closed.
                    bag.refuse(slot, .refused("the resource has \(values.count) values of <\(property)>, a single-valued attribute"))
                } else {
                    take(.string(values[0]), expires: nil)
                }
            }
        }
        if let ontology {
            for classIRI in policies.resourceClasses {
                if let known = ontology.isInstance(api: api, of: classIRI) { bag.resourceClasses[classIRI] = known }
            }
        }
        return bag
    }
}
