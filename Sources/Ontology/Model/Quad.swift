/// A triple in a graph: the default graph when `graph` is nil, else a named graph.
public struct Quad: Hashable, Sendable, CustomStringConvertible {
    public var subject: Term
    public var predicate: IRI
    public var object: Term
    /// The graph name (an IRI or blank node), or nil for the default graph.
    public var graph: Term?

    public init(_ subject: Term, _ predicate: IRI, _ object: Term, graph: Term? = nil) {
        self.subject = subject
        self.predicate = predicate
        self.object = object
        self.graph = graph
    }

    public init(_ triple: Triple, graph: Term? = nil) {
        self.init(triple.subject, triple.predicate, triple.object, graph: graph)
    }

    /// The quad without its graph.
    public var triple: Triple { Triple(subject, predicate, object) }

    /// The quad as one N-Quads line, without the line break.
    public var description: String {
        if let graph { return "\(subject) \(predicate) \(object) \(graph) ." }
        return "\(subject) \(predicate) \(object) ."
    }
}
