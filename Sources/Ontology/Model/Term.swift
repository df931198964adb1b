/// An RDF term: an IRI, a blank node or a literal.
public enum Term: Hashable, Sendable, CustomStringConvertible {
    case iri(IRI)
    case blankNode(BlankNode)
    case literal(Literal)

    /// The IRI, when the term is one.
    public var iri: IRI? {
        if case .iri(let iri) = self { return iri }
        return nil
    }

    /// The blank node, when the term is one.
    public var blankNode: BlankNode? {
        if case .blankNode(let node) = self { return node }
        return nil
    }

    /// The literal, when the term is one.
    public var literal: Literal? {
        if case .literal(let literal) = self { return literal }
        return nil
    }

    /// Whether the term is a blank node.
    public var isBlankNode: Bool {
        if case .blankNode = self { return true }
        return false
    }

    /// The term in N-Triples form.
    public var description: String {
        switch self {
        case .iri(let iri): return iri.description
        case .blankNode(let node): return node.description
        case .literal(let literal): return literal.description
        }
    }
}

extension Term {
    /// Shorthand for an IRI term.
    public static func iri(_ value: String) -> Term { .iri(IRI(value)) }
}
