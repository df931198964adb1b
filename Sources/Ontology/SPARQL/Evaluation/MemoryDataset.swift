/// An in-memory RDF dataset: a default graph and named graphs, indexed for every pattern
/// shape. A value type, so an update can work on a copy and replace the original only when it
/// succeeds. Used by the conformance runner and tests; the quad store serves real data.
public struct MemoryDataset: UpdatableDataset, Sendable {
    private struct Graph: Sendable {
        private(set) var triples: [Triple] = []
        private var positions: [Triple: Int] = [:]
        private var bySubject: [Term: [Int]] = [:]
        private var byPredicate: [IRI: [Int]] = [:]
        private var byObject: [Term: [Int]] = [:]

        var isEmpty: Bool { triples.isEmpty }

        mutating func insert(_ triple: Triple) {
            guard positions[triple] == nil else { return }
            let index = triples.count
            positions[triple] = index
            triples.append(triple)
            bySubject[triple.subject, default: []].append(index)
            byPredicate[triple.predicate, default: []].append(index)
            byObject[triple.object, default: []].append(index)
        }

        mutating func delete(_ triple: Triple) {
            guard positions[triple] != nil else { return }
            // Deletions are rare (updates); rebuilding keeps the indexes simple and exact.
            let kept = triples.filter { $0 != triple }
            self = Graph()
            for triple in kept { insert(triple) }
        }

        /// The indexes of the candidates: the shortest index list among the bound positions.
        func candidates(_ subject: Term?, _ predicate: Term?, _ object: Term?) -> [Int]? {
            var best: [Int]?
            func consider(_ list: [Int]) { if best == nil || list.count < best?.count ?? 0 { best = list } }
            if let subject { consider(bySubject[subject] ?? []) }
            if let predicate { consider(predicate.iri.flatMap { byPredicate[$0] } ?? []) }
            if let object { consider(byObject[object] ?? []) }
            return best
        }

        func matches(_ subject: Term?, _ predicate: Term?, _ object: Term?) -> [Triple] {
            let candidates = self.candidates(subject, predicate, object).map { $0.map { triples[$0] } } ?? triples
            return candidates.filter { triple in
                (subject == nil || triple.subject == subject)
                    && (predicate == nil || .iri(triple.predicate) == predicate)
                    && (object == nil || triple.object == object)
            }
        }
    }

    private var defaultGraph = Graph()
    private var graphs: [Term: Graph] = [:]
    private var graphOrder: [Term] = []

    public init() {}

    /// Adds a triple to the default graph, or to a named graph (created if needed).
    public mutating func insert(_ triple: Triple, graph: Term? = nil) {
        guard let graph else { return defaultGraph.insert(triple) }
        addGraph(graph)
        graphs[graph]?.insert(triple)
    }

    public mutating func insert(_ quad: Quad) {
        insert(quad.triple, graph: quad.graph)
    }

    public mutating func delete(_ quad: Quad) {
        guard let graph = quad.graph else { return defaultGraph.delete(quad.triple) }
        graphs[graph]?.delete(quad.triple)
    }

    /// Declares a named graph, even an empty one.
    public mutating func addGraph(_ name: Term) {
        if graphs[name] == nil {
            graphOrder.append(name)
            graphs[name] = Graph()
        }
    }

    public mutating func dropGraph(_ name: Term) {
        graphs[name] = nil
        graphOrder.removeAll { $0 == name }
    }

    public mutating func clearDefaultGraph() {
        defaultGraph = Graph()
    }

    /// Every quad, default graph first.
    public var allQuads: [Quad] {
        defaultGraph.triples.map { Quad($0) }
            + graphOrder.flatMap { name in (graphs[name]?.triples ?? []).map { Quad($0, graph: name) } }
    }

    public func quads(subject: Term?, predicate: Term?, object: Term?, in selector: GraphSelector) -> AnyIterator<Quad> {
        switch selector {
        case .defaultGraph:
            return AnyIterator(defaultGraph.matches(subject, predicate, object).lazy.map { Quad($0) }.makeIterator())
        case .named(let name):
            let found = graphs[name]?.matches(subject, predicate, object) ?? []
            return AnyIterator(found.lazy.map { Quad($0, graph: name) }.makeIterator())
        case .anyNamed:
            var result: [Quad] = []
            for name in graphOrder {
                for triple in graphs[name]?.matches(subject, predicate, object) ?? [] { result.append(Quad(triple, graph: name)) }
            }
            return AnyIterator(result.makeIterator())
        }
    }

    public func namedGraphs() -> [Term] { graphOrder }

    public func estimatedCount(subject: Term?, predicate: Term?, object: Term?, in selector: GraphSelector) -> Int {
        switch selector {
        case .defaultGraph:
            return defaultGraph.candidates(subject, predicate, object)?.count ?? defaultGraph.triples.count
        case .named(let name):
            guard let graph = graphs[name] else { return 0 }
            return graph.candidates(subject, predicate, object)?.count ?? graph.triples.count
        case .anyNamed:
            return graphs.values.reduce(0) { $0 + ($1.candidates(subject, predicate, object)?.count ?? $1.triples.count) }
        }
    }
}
