/// Evaluates SPARQL queries over a ``QueryableDataset``.
///
/// ```swift
/// let query = try SPARQLParser().parseQuery("SELECT ?s WHERE { ?s a <http://www.w3.org/ns/sosa/Sensor> }")
/// let result = try QueryEvaluator(dataset: dataset).evaluate(query)
/// if case .solutions(let variables, let rows) = result { ... }
/// ```
///
/// Evaluation is synchronous and runs on the calling thread; `limits` bound its time and the
/// size of its result (`sparql.timeout`, `sparql.result_limit`).
public struct QueryEvaluator {
    public var dataset: any QueryableDataset
    public var limits: EvaluationLimits
    /// The base IRI for `IRI()` on relative strings; the query's own base wins.
    public var baseIRI: String?

    public init(dataset: any QueryableDataset, limits: EvaluationLimits = EvaluationLimits(), baseIRI: String? = nil) {
        self.dataset = dataset
        self.limits = limits
        self.baseIRI = baseIRI
    }

    public func evaluate(_ query: Query) throws -> QueryResult {
        var slots = VariableSlots()
        slots.collect(query.pattern)
        switch query.form {
        case .select(let variables): for variable in variables { _ = slots[variable] }
        case .construct(let template): for triple in template { slots.collect(triple) }
        case .describe(let terms): for term in terms { slots.collect(term) }
        case .ask: break
        }
        let source: any QueryableDataset = query.dataset.map { DatasetView(base: dataset, dataset: $0) } ?? dataset
        let evaluator = PatternEvaluator(dataset: source, slots: slots, limits: limits,
                                         functions: FunctionContext(baseIRI: query.baseIRI ?? baseIRI))
        let solutions = evaluator.evaluate(query.pattern, graph: .defaultGraph, input: nil)

        switch query.form {
        case .select(let variables):
            let variableSlots = variables.map { evaluator.slots[$0] }
            var rows: [[Term?]] = []
            while let solution = solutions.next() {
                rows.append(variableSlots.map { solution[$0] })
                try checkSize(rows.count)
            }
            if let failure = evaluator.failure ?? source.storageFailure() { throw failure }
            return .solutions(variables: variables, rows: rows)
        case .ask:
            let found = solutions.next() != nil
            if let failure = evaluator.failure ?? source.storageFailure() { throw failure }
            return .boolean(found)
        case .construct(let template):
            var triples: [Triple] = []
            var seen = Set<Triple>()
            var blankNodes = TemplateBlankNodes()
            while let solution = solutions.next() {
                blankNodes.beginSolution()
                for pattern in template {
                    guard let triple = evaluator.instantiate(pattern.subject, pattern.predicate, pattern.object, graph: nil,
                                                             in: solution, blankNodes: &blankNodes)?.triple,
                        seen.insert(triple).inserted else { continue }
                    triples.append(triple)
                    try checkSize(triples.count)
                }
            }
            if let failure = evaluator.failure ?? source.storageFailure() { throw failure }
            return .graph(triples)
        case .describe(let terms):
            var resources: [Term] = []
            var seen = Set<Term>()
            while let solution = solutions.next() {
                for term in terms {
                    if let value = evaluator.value(term, solution), seen.insert(value).inserted { resources.append(value) }
                }
            }
            if solutions.next() == nil, terms.allSatisfy({ $0.term != nil }) {
                for term in terms.compactMap(\.term) where seen.insert(term).inserted { resources.append(term) }
            }
            if let failure = evaluator.failure ?? source.storageFailure() { throw failure }
            return .graph(try describe(resources, in: source))
        }
    }

    private func checkSize(_ count: Int) throws {
        if let maximum = limits.maxResults, count > maximum {
            throw OntologyError(.sparqlResultLimit, "the result has more than \(maximum) rows; add a LIMIT")
        }
    }

    /// The concise bounded description of each resource: its triples as subject, following
    /// blank-node objects.
    private func describe(_ resources: [Term], in source: any QueryableDataset) throws -> [Triple] {
        var triples: [Triple] = []
        var seenTriples = Set<Triple>()
        var visited = Set<Term>()
        var queue = resources
        while let resource = queue.popLast() {
            guard visited.insert(resource).inserted else { continue }
            let quads = source.quads(subject: resource, predicate: nil, object: nil, in: .defaultGraph)
            while let quad = quads.next() {
                let triple = quad.triple
                guard seenTriples.insert(triple).inserted else { continue }
                triples.append(triple)
                try checkSize(triples.count)
                if triple.object.isBlankNode { queue.append(triple.object) }
            }
        }
        return triples
    }
}

/// A dataset seen through a query's `FROM` / `FROM NAMED` clauses (§13.2): the default graph is
/// the merge of the `FROM` graphs, and only the `FROM NAMED` graphs are named.
struct DatasetView: QueryableDataset {
    let base: any QueryableDataset
    let dataset: QueryDataset

    var schemaDataset: any QueryableDataset { base.schemaDataset }

    func quads(subject: Term?, predicate: Term?, object: Term?, in graphs: GraphSelector) -> AnyIterator<Quad> {
        switch graphs {
        case .defaultGraph:
            var seen = Set<Triple>()
            var result: [Quad] = []
            for graph in dataset.defaultGraphs {
                let quads = base.quads(subject: subject, predicate: predicate, object: object, in: .named(.iri(graph)))
                while let quad = quads.next() {
                    if seen.insert(quad.triple).inserted { result.append(Quad(quad.triple)) }
                }
            }
            return AnyIterator(result.makeIterator())
        case .named(let name):
            guard isNamed(name) else { return AnyIterator { nil } }
            return base.quads(subject: subject, predicate: predicate, object: object, in: .named(name))
        case .anyNamed:
            let all = namedGraphs().flatMap { Array(base.quads(subject: subject, predicate: predicate, object: object, in: .named($0))) }
            return AnyIterator(all.makeIterator())
        }
    }

    func namedGraphs() -> [Term] {
        guard let named = dataset.namedGraphs else { return base.namedGraphs() }
        return named.map { .iri($0) }
    }

    func storageFailure() -> Error? { base.storageFailure() }

    private func isNamed(_ name: Term) -> Bool {
        guard let named = dataset.namedGraphs else { return true }
        return named.contains { .iri($0) == name }
    }
}
