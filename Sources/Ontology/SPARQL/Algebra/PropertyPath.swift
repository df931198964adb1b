/// A SPARQL 1.1 property path expression (§9.1), as the algebra of §18.2.2.4 names it.
///
/// The translation keeps only paths that cannot be written as triple patterns: a plain IRI,
/// `^iri` and sequences become triples of a basic graph pattern instead (§18.2.2.4).
public indirect enum PropertyPath: Hashable, Sendable, CustomStringConvertible {
    /// `link(iri)`: one step along a predicate.
    case iri(IRI)
    /// `inv(path)`, written `^path`.
    case inverse(PropertyPath)
    /// `seq(a, b)`, written `a/b`.
    case sequence(PropertyPath, PropertyPath)
    /// `alt(a, b)`, written `a|b`.
    case alternative(PropertyPath, PropertyPath)
    /// `ZeroOrMorePath(path)`, written `path*`.
    case zeroOrMore(PropertyPath)
    /// `OneOrMorePath(path)`, written `path+`.
    case oneOrMore(PropertyPath)
    /// `ZeroOrOnePath(path)`, written `path?`.
    case zeroOrOne(PropertyPath)
    /// `NPS(iris)`: one step along any predicate but these, written `!(a|b)`. Inverse members
    /// (`!^a`) are translated to `inv(NPS(…))`.
    case negatedPropertySet([IRI])

    /// The SSE form: `<p>`, `(reverse p)`, `(seq a b)`, `(alt a b)`, `(path* p)`, `(path+ p)`,
    /// `(path? p)`, `(notoneof <a> <b>)`.
    public var description: String {
        switch self {
        case .iri(let iri): return iri.description
        case .inverse(let path): return "(reverse \(path))"
        case .sequence(let a, let b): return "(seq \(a) \(b))"
        case .alternative(let a, let b): return "(alt \(a) \(b))"
        case .zeroOrMore(let path): return "(path* \(path))"
        case .oneOrMore(let path): return "(path+ \(path))"
        case .zeroOrOne(let path): return "(path? \(path))"
        case .negatedPropertySet(let iris):
            return "(notoneof" + iris.map { " \($0)" }.joined() + ")"
        }
    }
}
