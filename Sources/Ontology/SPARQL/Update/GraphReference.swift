/// A graph that `ADD`, `COPY` and `MOVE` read or write.
public enum GraphReference: Hashable, Sendable, CustomStringConvertible {
    case graph(IRI)
    case defaultGraph

    public var description: String {
        switch self {
        case .graph(let iri): return iri.description
        case .defaultGraph: return "default"
        }
    }
}
