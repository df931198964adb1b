/// Runs SPARQL 1.1 Update requests (§3) against an ``UpdatableDataset``.
///
/// A request is atomic: the operations run on a copy of a value-type dataset, which replaces
/// the original only when every operation succeeded. (The quad store gets the same guarantee
/// from one SQLite transaction.)
public struct UpdateExecutor {
    public var limits: EvaluationLimits
    /// Reads the source of `LOAD <iri>` (``LoadSources``): by default any local file (the
    /// command line, run by whoever owns the store); a server passes a narrower reader.
    public var loadSource: (IRI) throws -> [Triple]

    public init(limits: EvaluationLimits = EvaluationLimits(),
                loadSource: @escaping (IRI) throws -> [Triple] = LoadSources.files(under: "/")) {
        self.limits = limits
        self.loadSource = loadSource
    }

    /// Applies every operation of the request, or none.
    public func execute<Dataset: UpdatableDataset>(_ update: Update, on dataset: inout Dataset) throws {
        var working = dataset
        for operation in update.operations {
            try apply(operation, to: &working, baseIRI: update.baseIRI)
            if let failure = working.storageFailure() { throw failure }
        }
        dataset = working
    }

    private func apply<Dataset: UpdatableDataset>(_ operation: UpdateOperation, to dataset: inout Dataset, baseIRI: String?) throws {
        switch operation {
        case .insertData(let quads):
            var blankNodes = BlankNodeGenerator()
            var fresh: [BlankNode: BlankNode] = [:]
            for quad in quads { dataset.insert(Self.freshen(quad, &fresh, &blankNodes)) }
        case .deleteData(let quads):
            for quad in quads { dataset.delete(quad) }
        case .deleteInsert(let delete, let insert, let using, let pattern):
            try modify(delete: delete, insert: insert, using: using, pattern: pattern, dataset: &dataset, baseIRI: baseIRI)
        case .load(let source, let destination, let silent):
            do {
                let triples = try loadSource(source)
                if let destination { dataset.addGraph(.iri(destination)) }
                for triple in triples { dataset.insert(Quad(triple, graph: destination.map { .iri($0) })) }
            } catch where silent {
                return
            }
        case .clear(let target, let silent):
            try requireGraph(target, in: dataset, silent: silent)
            for graph in graphs(target, in: dataset) { clear(graph, in: &dataset) }
        case .drop(let target, let silent):
            try requireGraph(target, in: dataset, silent: silent)
            for graph in graphs(target, in: dataset) {
                if let graph { dataset.dropGraph(graph) } else { dataset.clearDefaultGraph() }
            }
        case .create(let name, let silent):
            if dataset.namedGraphs().contains(.iri(name)) {
                if silent { return }
                throw OntologyError(.sparqlUpdate, "graph <\(name.value)> already exists")
            }
            dataset.addGraph(.iri(name))
        case .add(let from, let to, let silent):
            try transfer(from, to, dataset: &dataset, replace: false, remove: false, silent: silent)
        case .copy(let from, let to, let silent):
            try transfer(from, to, dataset: &dataset, replace: true, remove: false, silent: silent)
        case .move(let from, let to, let silent):
            try transfer(from, to, dataset: &dataset, replace: true, remove: true, silent: silent)
        }
    }

    /// DELETE/INSERT … WHERE (§3.1.3): every deletion of every solution, then every insertion.
    private func modify<Dataset: UpdatableDataset>(delete: [QuadPattern], insert: [QuadPattern], using: QueryDataset?,
                                                   pattern: GraphPattern, dataset: inout Dataset, baseIRI: String?) throws {
        var slots = VariableSlots()
        slots.collect(pattern)
        for quad in delete + insert {
            for position in [quad.subject, quad.predicate, quad.object] + (quad.graph.map { [$0] } ?? []) { slots.collect(position) }
        }
        let source: any QueryableDataset = using.map { DatasetView(base: dataset, dataset: $0) } ?? dataset
        let evaluator = PatternEvaluator(dataset: source, slots: slots, limits: limits, functions: FunctionContext(baseIRI: baseIRI))
        let solutions = Array(evaluator.evaluate(pattern, graph: .defaultGraph, input: nil))
        if let failure = evaluator.failure { throw failure }

        var deletions: [Quad] = []
        var insertions: [Quad] = []
        var blankNodes = TemplateBlankNodes()
        for solution in solutions {
            blankNodes.beginSolution()
            for template in delete {
                if let quad = evaluator.instantiate(template.subject, template.predicate, template.object, graph: template.graph,
                                                    in: solution, blankNodes: &blankNodes) { deletions.append(quad) }
            }
            for template in insert {
                if let quad = evaluator.instantiate(template.subject, template.predicate, template.object, graph: template.graph,
                                                    in: solution, blankNodes: &blankNodes) { insertions.append(quad) }
            }
        }
        for quad in deletions { dataset.delete(quad) }
        for quad in insertions {
            if let graph = quad.graph { dataset.addGraph(graph) }
            dataset.insert(quad)
        }
    }

    /// CLEAR and DROP of a named graph the store does not have fail, unless SILENT (§3.2.2).
    private func requireGraph(_ target: GraphTarget, in dataset: some QueryableDataset, silent: Bool) throws {
        guard case .graph(let iri) = target, !silent, !dataset.namedGraphs().contains(.iri(iri)) else { return }
        throw OntologyError(.sparqlUpdate, "graph <\(iri.value)> does not exist")
    }

    /// The graphs a CLEAR or DROP names: nil stands for the default graph.
    private func graphs(_ target: GraphTarget, in dataset: some QueryableDataset) -> [Term?] {
        switch target {
        case .graph(let iri): return [.iri(iri)]
        case .defaultGraph: return [nil]
        case .namedGraphs: return dataset.namedGraphs().map { $0 }
        case .allGraphs: return [nil] + dataset.namedGraphs().map { $0 }
        }
    }

    private func clear<Dataset: UpdatableDataset>(_ graph: Term?, in dataset: inout Dataset) {
        guard let graph else { return dataset.clearDefaultGraph() }
        for quad in Array(dataset.quads(subject: nil, predicate: nil, object: nil, in: .named(graph))) { dataset.delete(quad) }
    }

    /// ADD, COPY and MOVE (§3.2.5-3.2.7).
    private func transfer<Dataset: UpdatableDataset>(_ from: GraphReference, _ to: GraphReference, dataset: inout Dataset,
                                                     replace: Bool, remove: Bool, silent: Bool) throws {
        guard from != to else { return }
        let source: GraphSelector
        switch from {
        case .defaultGraph: source = .defaultGraph
        case .graph(let iri):
            guard dataset.namedGraphs().contains(.iri(iri)) else {
                if silent { return }
                throw OntologyError(.sparqlUpdate, "graph <\(iri.value)> does not exist")
            }
            source = .named(.iri(iri))
        }
        let triples = Array(dataset.quads(subject: nil, predicate: nil, object: nil, in: source)).map(\.triple)
        let destination: Term? = { if case .graph(let iri) = to { return .iri(iri) } else { return nil } }()
        if replace { clear(destination, in: &dataset) }
        if let destination { dataset.addGraph(destination) }
        for triple in triples { dataset.insert(Quad(triple, graph: destination)) }
        if remove {
            if case .graph(let iri) = from { dataset.dropGraph(.iri(iri)) } else { dataset.clearDefaultGraph() }
        }
    }

    /// Blank nodes of INSERT DATA are new nodes, distinct from any already stored.
    private static func freshen(_ quad: Quad, _ fresh: inout [BlankNode: BlankNode], _ generator: inout BlankNodeGenerator) -> Quad {
        func map(_ term: Term) -> Term {
            guard let node = term.blankNode else { return term }
            if let mapped = fresh[node] { return .blankNode(mapped) }
            let mapped = generator.next()
            fresh[node] = mapped
            return .blankNode(mapped)
        }
        return Quad(map(quad.subject), quad.predicate, map(quad.object), graph: quad.graph)
    }
}
