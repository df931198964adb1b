/// The graphs a `CLEAR` or `DROP` acts on.
public enum GraphTarget: Hashable, Sendable, CustomStringConvertible {
    case graph(IRI)
    /// `DEFAULT`
    case defaultGraph
    /// `NAMED`: every named graph.
    case namedGraphs
    /// `ALL`: the default graph and every named graph.
    case allGraphs

    public var description: String {
        switch self {
        case .graph(let iri): return iri.description
        case .defaultGraph: return "default"
        case .namedGraphs: return "named"
        case .allGraphs: return "all"
        }
    }
}
