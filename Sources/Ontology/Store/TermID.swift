/// The store's identifier for an RDF term: the `id` of its row in the `term` table.
///
/// Terms are dictionary-encoded once, so quads, patterns and joins work on these small integers
/// and strings are only touched to encode query constants and to decode results
/// (``QuadStore/Snapshot/terms(for:)``). Ids are allocated densely from 1 and never reused while
/// a store is open; 0 is reserved for the default graph.
public struct TermID: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The row id in the `term` table (0 for the default graph).
    public let rawValue: Int64

    @inline(__always)
    public init(rawValue: Int64) {
        self.rawValue = rawValue
    }

    /// The graph "name" of the default graph, in ``EncodedQuad/graph``.
    public static let defaultGraph = TermID(rawValue: 0)

    @inline(__always)
    public static func < (lhs: TermID, rhs: TermID) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { "#\(rawValue)" }
}

/// A quad as term ids. `graph` is ``TermID/defaultGraph`` for a triple of the default graph.
public struct EncodedQuad: Hashable, Sendable, CustomStringConvertible {
    public var subject: TermID
    public var predicate: TermID
    public var object: TermID
    /// The graph name's id, or ``TermID/defaultGraph``.
    public var graph: TermID

    @inline(__always)
    public init(_ subject: TermID, _ predicate: TermID, _ object: TermID, graph: TermID = .defaultGraph) {
        self.subject = subject
        self.predicate = predicate
        self.object = object
        self.graph = graph
    }

    /// Whether the quad belongs to the default graph.
    public var isInDefaultGraph: Bool { graph == .defaultGraph }

    public var description: String { "\(subject) \(predicate) \(object) \(graph)" }
}
