/// A triple pattern in a graph: the default graph when `graph` is nil. Update templates
/// (`DELETE { … }`, `INSERT { … }`) are lists of quad patterns.
public struct QuadPattern: Hashable, Sendable, CustomStringConvertible {
    public var subject: TermPattern
    public var predicate: TermPattern
    public var object: TermPattern
    /// An IRI or a variable; nil for the default graph.
    public var graph: TermPattern?

    public init(_ subject: TermPattern, _ predicate: TermPattern, _ object: TermPattern, graph: TermPattern? = nil) {
        self.subject = subject
        self.predicate = predicate
        self.object = object
        self.graph = graph
    }

    /// The pattern without its graph.
    public var triple: TriplePattern { TriplePattern(subject, predicate, object) }

    /// `(quad g s p o)`, with `_` for the default graph.
    public var description: String {
        "(quad \(graph?.description ?? "_") \(subject) \(predicate) \(object))"
    }
}
