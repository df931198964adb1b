/// Graphs named by terms, for reading quads as terms and for CLEAR/DROP: the four targets of
/// SPARQL Update's `GRAPH <g>`, `DEFAULT`, `NAMED` and `ALL`.
public enum GraphScope: Hashable, Sendable {
    /// The default graph.
    case defaultGraph
    /// One named graph (an IRI, or a blank node).
    case named(Term)
    /// Every named graph.
    case allNamed
    /// The default graph and every named graph.
    case all
}
