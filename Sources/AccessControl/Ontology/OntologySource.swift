/// What the access service asks of the RDF store: ordered domains kept as RDF, resource
/// attributes held as RDF properties, and class membership with reasoning.
public protocol OntologySource: Sendable {
    /// The IRIs typed `classIRI`, lowest first, where `a property b` means `a < b`.
    func orderedMembers(ofClass classIRI: String, orderedBy property: String) throws -> [String]
    /// Whether the resource registered under the API name is an instance of the class (or
    /// exposes a device that is); nil when no resource has that name.
    func isInstance(api: String, of classIRI: String) -> Bool?
    /// The values (IRIs or literals' lexical forms) of the property on the resource named `api`.
    func values(of property: String, api: String) -> [String]
}
