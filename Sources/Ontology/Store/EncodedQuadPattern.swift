/// A triple pattern over the store, on term ids: each position is either bound to a term id or
/// free. (The SPARQL algebra's `QuadPattern` holds terms and variables; the evaluator turns its
/// constants into ids with ``QuadStore/Snapshot/id(for:)``.)
///
/// Every combination of bound positions is answered by a range of one index (see
/// `StoreSchema`), so matching costs a seek plus one step per result.
///
/// ```swift
/// let pattern = EncodedQuadPattern(predicate: typeID, object: sensorID)   // ?s rdf:type sosa:Sensor
/// let quads = try snapshot.quads(matching: pattern)
/// ```
public struct EncodedQuadPattern: Hashable, Sendable {
    /// The subject to match, or nil for any.
    public var subject: TermID?
    /// The predicate to match, or nil for any.
    public var predicate: TermID?
    /// The object to match, or nil for any.
    public var object: TermID?
    /// The graphs to read; by default all of them (registryd's default graph for queries).
    public var graph: EncodedGraphSelector

    public init(subject: TermID? = nil, predicate: TermID? = nil, object: TermID? = nil, graph: EncodedGraphSelector = .all) {
        self.subject = subject
        self.predicate = predicate
        self.object = object
        self.graph = graph
    }

    /// Which of subject, predicate and object are bound, as bits 4, 2 and 1.
    var boundMask: Int {
        (subject == nil ? 0 : 4) | (predicate == nil ? 0 : 2) | (object == nil ? 0 : 1)
    }
}
