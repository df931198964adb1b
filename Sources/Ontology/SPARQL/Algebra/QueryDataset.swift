/// The RDF dataset a query or update names with `FROM` / `FROM NAMED` (or `USING` /
/// `USING NAMED`, or `WITH`): the graphs merged into the default graph, and the named graphs.
///
/// As SPARQL 1.1 §13.2 says, a query that lists only `FROM` graphs has no named graphs, and one
/// that lists only `FROM NAMED` graphs has an empty default graph. `WITH <g>` in an update
/// sets the default graph alone, which `namedGraphs == nil` expresses.
public struct QueryDataset: Hashable, Sendable, CustomStringConvertible {
    /// The graphs whose merge is the default graph.
    public var defaultGraphs: [IRI]
    /// The named graphs; nil for all the named graphs of the store.
    public var namedGraphs: [IRI]?

    public init(defaultGraphs: [IRI] = [], namedGraphs: [IRI]? = []) {
        self.defaultGraphs = defaultGraphs
        self.namedGraphs = namedGraphs
    }

    /// `(default <a> <b>) (named <c>)`, with `(named *)` for all named graphs.
    public var description: String {
        "(default" + defaultGraphs.map { " \($0)" }.joined() + ") (named"
            + (namedGraphs.map { $0.map { " \($0)" }.joined() } ?? " *") + ")"
    }
}
