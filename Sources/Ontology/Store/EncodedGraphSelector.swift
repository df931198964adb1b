/// Which graphs an ``EncodedQuadPattern`` reads.
public enum EncodedGraphSelector: Hashable, Sendable {
    /// The default graph and every named graph: SPARQL's default graph in registryd, which is
    /// the union of all graphs. A triple in several graphs is returned once per graph.
    case all
    /// The default graph only (the graph that imports without `--graph` go to).
    case defaultGraph
    /// One named graph.
    case named(TermID)
    /// Every named graph but not the default graph, as `GRAPH ?g { ... }` reads.
    case anyNamed
}
