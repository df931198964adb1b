/// Statistics about one predicate, for join ordering.
public struct PredicateStatistics: Hashable, Sendable {
    /// Quads with this predicate, over all graphs. Exact: kept up to date by every write.
    public var triples: Int
    /// Distinct subjects of this predicate, over all graphs, as of the last recount. Recounted
    /// when a write takes `triples` below 1,024 or moves it by more than a factor of two since
    /// the last recount, so it is never far off. A bulk load into a store that already used the
    /// predicate adds its own distinct count (an upper bound).
    public var distinctSubjects: Int
    /// Distinct objects of this predicate, recounted like ``distinctSubjects``.
    public var distinctObjects: Int

    public init(triples: Int, distinctSubjects: Int, distinctObjects: Int) {
        self.triples = triples
        self.distinctSubjects = distinctSubjects
        self.distinctObjects = distinctObjects
    }
}
