/// A position of a triple or quad pattern: a variable or an RDF term.
///
/// In the patterns of a `WHERE` clause blank nodes are variables (``Variable/Kind/blankNode``);
/// a `.term(.blankNode)` appears only in templates (`CONSTRUCT`, `INSERT`) and data
/// (`INSERT DATA`), where it stands for a blank node to create.
public enum TermPattern: Hashable, Sendable, CustomStringConvertible {
    case variable(Variable)
    case term(Term)

    /// The variable, when the position holds one.
    public var variable: Variable? {
        if case .variable(let variable) = self { return variable }
        return nil
    }

    /// The term, when the position holds one.
    public var term: Term? {
        if case .term(let term) = self { return term }
        return nil
    }

    public var description: String {
        switch self {
        case .variable(let variable): return variable.description
        case .term(let term): return SSE.term(term)
        }
    }
}

extension TermPattern {
    /// Shorthand for an IRI.
    public static func iri(_ value: String) -> TermPattern { .term(.iri(IRI(value))) }
    /// Shorthand for a named variable.
    public static func variable(_ name: String) -> TermPattern { .variable(Variable(name)) }
}
