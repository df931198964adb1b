/// The quad store seen as a SPARQL dataset, through one read snapshot.
///
/// Following DESIGN.md §4.2, the default graph of a query is the union of all graphs (the
/// store's own default graph and every named graph), so that a registration kept in its own
/// named graph is found without `GRAPH`. Named graphs are the store's named graphs.
///
/// ```swift
/// let result = try store.read { snapshot in
///     try QueryEvaluator(dataset: StoreDataset(snapshot)).evaluate(query)
/// }
/// ```
public final class StoreDataset: QueryableDataset {
    private let snapshot: QuadStore.Snapshot
    private var failure: Error?

    public init(_ snapshot: QuadStore.Snapshot) {
        self.snapshot = snapshot
    }

    public func quads(subject: Term?, predicate: Term?, object: Term?, in graphs: GraphSelector) -> AnyIterator<Quad> {
        guard failure == nil else { return AnyIterator { nil } }
        let predicateIRI: IRI?
        if let predicate {
            guard let iri = predicate.iri else { return AnyIterator { nil } }
            predicateIRI = iri
        } else {
            predicateIRI = nil
        }
        let scope = Self.scope(graphs)
        do {
            let found = try snapshot.quads(subject: subject, predicate: predicateIRI, object: object, in: scope)
            if case .defaultGraph = graphs {
                return AnyIterator(found.lazy.map { Quad($0.triple) }.makeIterator())
            }
            return AnyIterator(found.makeIterator())
        } catch {
            failure = error
            return AnyIterator { nil }
        }
    }

    public func namedGraphs() -> [Term] {
        do {
            return try snapshot.namedGraphs()
        } catch {
            failure = failure ?? error
            return []
        }
    }

    public func estimatedCount(subject: Term?, predicate: Term?, object: Term?, in graphs: GraphSelector) -> Int {
        guard let predicateIRI = predicate.map({ $0.iri }) ?? .some(nil) else { return 0 }
        let scope = Self.scope(graphs)
        let inMemory = snapshot.estimatedMemoryCount(subject: subject, predicate: predicateIRI, object: object, in: scope)
        do {
            // A predicate alone over every graph is the kept per-predicate count: exact, and
            // one row to read instead of counting the predicate's whole index range (which
            // was most of the planning time of a join over large predicates).
            if subject == nil, object == nil, let predicateIRI, case .all = scope {
                guard let id = try snapshot.id(for: .iri(predicateIRI)) else { return inMemory }
                return try (snapshot.statistics(for: id)?.triples ?? 0) + inMemory
            }
            guard let pattern = try snapshot.encodedPattern(subject: subject, predicate: predicateIRI, object: object, in: scope)
            else { return inMemory }
            return try snapshot.count(matching: pattern) + inMemory
        } catch {
            return Int.max
        }
    }

    public func storageFailure() -> Error? { failure }

    public func solutions(of triples: [TriplePattern], variables: [Variable], in graphs: GraphSelector) -> [[Term]]? {
        guard failure == nil else { return [] }
        // The SQL join sees stored quads only; with in-memory graphs in view the evaluator joins.
        guard snapshot.memoryGraphsAreEmpty else { return nil }
        do {
            let scope: JoinScope
            switch graphs {
            case .defaultGraph: scope = .union
            case .named(let name):
                guard let id = try snapshot.id(for: name) else { return [] }
                scope = .named(id)
            case .anyNamed: return nil
            }
            var numbers: [Variable: Int] = [:]
            for variable in variables { numbers[variable] = numbers.count }
            var patterns: [JoinPattern] = []
            for triple in triples {
                var positions: [JoinTerm] = []
                for (index, position) in [triple.subject, triple.predicate, triple.object].enumerated() {
                    switch position {
                    case .variable(let variable):
                        if numbers[variable] == nil { numbers[variable] = numbers.count }
                        positions.append(.variable(numbers[variable]!))
                    case .term(let term):
                        // A literal subject or a non-IRI predicate matches nothing.
                        if index == 0, term.literal != nil { return [] }
                        if index == 1, term.iri == nil { return [] }
                        guard let id = try snapshot.id(for: term) else { return [] }
                        positions.append(.constant(id))
                    }
                }
                patterns.append(JoinPattern(positions[0], positions[1], positions[2]))
            }
            guard let rows = try snapshot.join(patterns, variables: variables.map { numbers[$0]! }, in: scope) else { return nil }
            let terms = try snapshot.terms(for: Set(rows.joined()))
            return try rows.map { row in
                try row.map { id in
                    guard let term = terms[id] else { throw OntologyError(.storage, "term \(id) of a match is missing") }
                    return term
                }
            }
        } catch {
            failure = failure ?? error
            return []
        }
    }

    /// The store graphs a selector means: the default graph of a query is all of them.
    private static func scope(_ graphs: GraphSelector) -> GraphScope {
        switch graphs {
        case .defaultGraph: return .all
        case .named(let name): return .named(name)
        case .anyNamed: return .allNamed
        }
    }
}
