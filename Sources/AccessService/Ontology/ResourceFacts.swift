import AccessControl

/// What the policy set in force may ask the ontology about one resource, read at once: its
/// class memberships (for `resource is C`) and its property values (for `= <property>`
/// attributes). A decision evaluates against this value, so policy evaluation never waits
/// for the store.
public struct ResourceFacts: OntologySource, Sendable, Equatable {
    public let api: String
    /// Membership per class IRI; empty when no resource has the name.
    public let classes: [String: Bool]
    public let values: [String: [String]]

    /// Reads the facts about `api` that `classes` and `properties` ask for from `ontology`.
    public init(api: String, classes: [String], properties: [String], from ontology: any OntologySource) {
        self.api = api
        var membership: [String: Bool] = [:]
        for classIRI in classes { membership[classIRI] = ontology.isInstance(api: api, of: classIRI) }
        self.classes = membership
        var values: [String: [String]] = [:]
        for property in properties { values[property] = ontology.values(of: property, api: api) }
        self.values = values
    }

    /// Orderings are read when policies are compiled, never during a decision.
    public func orderedMembers(ofClass classIRI: String, orderedBy property: String) throws -> [String] {
        throw AccessServiceError(.invalidRequest, "orderings are read when the policies are compiled")
    }

    public func isInstance(api: String, of classIRI: String) -> Bool? {
        api == self.api ? classes[classIRI] : nil
    }

    public func values(of property: String, api: String) -> [String] {
        api == self.api ? values[property] ?? [] : []
    }
}
