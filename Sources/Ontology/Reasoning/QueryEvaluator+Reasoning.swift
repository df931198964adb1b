/// The per-query switch for RDFS reasoning.
extension QueryEvaluator {
    /// An evaluator over `dataset` that, when `reasoning` is true, also answers with what RDFS
    /// entails (``ReasoningDataset``: subclasses, subproperties, domains, ranges, inverses,
    /// transitive properties, equivalences), and over the stored triples alone when false.
    ///
    /// ```swift
    /// let dataset = StoreDataset(snapshot)
    /// let evaluator = QueryEvaluator(dataset: dataset, reasoning: reasoning)
    /// ```
    ///
    /// - Parameters:
    ///   - schema: a schema read earlier from the same data (see ``RDFSSchemaCache``); by
    ///     default it is read from `dataset` now.
    ///
    /// Only for queries: an update must see the stored triples, or `DELETE WHERE` would match
    /// entailed triples it cannot delete.
    public init(dataset: any QueryableDataset, reasoning: Bool, schema: RDFSSchema? = nil,
                limits: EvaluationLimits = EvaluationLimits(), baseIRI: String? = nil) {
        guard reasoning else {
            self.init(dataset: dataset, limits: limits, baseIRI: baseIRI)
            return
        }
        let reasoningDataset = ReasoningDataset(base: dataset, schema: schema ?? RDFSSchema(reading: dataset))
        self.init(dataset: reasoningDataset, limits: limits, baseIRI: baseIRI)
    }
}
