/// Where an attribute's value may come from.
public enum AttributeSource: Sendable, Hashable, CustomStringConvertible {
    /// Only from a valid credential signed by one of these authorities.
    case authorities([String])
    /// The subject's record kept in the registry.
    case registry
    /// The decision request's `context`.
    case request
    /// The values of an RDF property on the resource.
    case property(String)

    public var description: String {
        switch self {
        case .authorities(let names): "from authority " + names.map { "\"\($0)\"" }.joined(separator: ", ")
        case .registry: "from registry"
        case .request: "from request"
        case .property(let iri): "= <\(iri)>"
        }
    }
}

/// A declared attribute, with the slot its value takes in an `AttributeBag`.
public struct AttributeDeclaration: Sendable, Hashable {
    public var reference: AttributeReference
    public var type: AttributeType
    public var source: AttributeSource
    public var slot: Int
    public var location: SourceLocation
    public var document: String
}
