/// Which graphs a triple pattern is matched against.
public enum GraphSelector: Hashable, Sendable {
    /// The dataset's default graph.
    case defaultGraph
    /// One named graph.
    case named(Term)
    /// Every named graph (the graph of each match says which).
    case anyNamed
}

/// What the SPARQL evaluator needs from a store: matching quads and listing named graphs.
///
/// The evaluator never sees storage: the SQLite quad store and the in-memory dataset of the
/// conformance tests both implement this protocol (the seam Oxigraph calls `QueryableDataset`).
public protocol QueryableDataset {
    /// The quads matching a pattern (nil positions match anything) in the selected graphs.
    /// For ``GraphSelector/defaultGraph`` the graph of each quad is nil.
    func quads(subject: Term?, predicate: Term?, object: Term?, in graphs: GraphSelector) -> AnyIterator<Quad>
    /// The names of the named graphs.
    func namedGraphs() -> [Term]
    /// An estimate of how many quads match, for ordering joins; `Int.max` when unknown.
    func estimatedCount(subject: Term?, predicate: Term?, object: Term?, in graphs: GraphSelector) -> Int
    /// The first storage error met while matching, if any. The matching methods cannot throw
    /// (they feed lazy iterators), so a dataset that can fail records the error and returns no
    /// more quads; the evaluator asks here before it returns a result.
    func storageFailure() -> Error?
    /// The values of `variables` for every match of a whole basic graph pattern, joined by the
    /// dataset itself in the order given, or nil to let the evaluator join pattern by pattern.
    /// Every variable of `variables` occurs in `triples`; `triples` mention no other variables
    /// (bound ones are already replaced by their values).
    func solutions(of triples: [TriplePattern], variables: [Variable], in graphs: GraphSelector) -> [[Term]]?
    /// The dataset whose default graph RDFS reasoning reads its schema from (``RDFSSchema``):
    /// the dataset itself, or for the quad store only the graphs an admin wrote (docs/trust.md).
    var schemaDataset: any QueryableDataset { get }
}

extension QueryableDataset {
    public func estimatedCount(subject: Term?, predicate: Term?, object: Term?, in graphs: GraphSelector) -> Int {
        Int.max
    }

    public func storageFailure() -> Error? { nil }

    public var schemaDataset: any QueryableDataset { self }

    public func solutions(of triples: [TriplePattern], variables: [Variable], in graphs: GraphSelector) -> [[Term]]? { nil }
}

/// A dataset that SPARQL Update can change.
public protocol UpdatableDataset: QueryableDataset {
    mutating func insert(_ quad: Quad)
    mutating func delete(_ quad: Quad)
    /// Records a named graph, even with no triples.
    mutating func addGraph(_ name: Term)
    /// Removes a named graph and its triples.
    mutating func dropGraph(_ name: Term)
    mutating func clearDefaultGraph()
}
