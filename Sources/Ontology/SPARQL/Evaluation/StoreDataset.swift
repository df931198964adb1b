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
    /// Which of the store's in-memory graphs (the registrations' graphs, ``MemoryGraphs``) a
    /// dataset sees besides the stored ones.
    public enum MemoryGraphSelection: Sendable, Hashable {
        /// Every one: the union the SPARQL endpoint queries.
        case all
        /// These only (and none when the set is empty): what a decision about a resource reads,
        /// its own registrations with the admin's graphs (docs/trust.md).
        case only(Set<IRI>)

        /// The stored graphs alone: what the admin wrote.
        public static let none = MemoryGraphSelection.only([])
    }

    private let snapshot: QuadStore.Snapshot
    private let memoryGraphs: MemoryGraphSelection
    private var failure: Error?

    /// The RDFS schema this dataset's reasoning reads (the stored graphs'), from the store's
    /// one schema cache, versioned by the snapshot's commit count: every reader of the store
    /// (SPARQL, `?class=`, decisions) shares it, and no commit since means no re-read.
    public func rdfsSchema(cache: RDFSSchemaCache) -> RDFSSchema {
        cache.schema(reading: self, version: snapshot.commitCount)
    }

    public init(_ snapshot: QuadStore.Snapshot, memoryGraphs: MemoryGraphSelection = .all) {
        self.snapshot = snapshot
        self.memoryGraphs = memoryGraphs
    }

    /// Schema statements count only from the stored graphs, which only an admin writes: a
    /// registration's graph (in memory) never changes what reasoning entails for anyone else.
    public var schemaDataset: any QueryableDataset {
        memoryGraphs == .none ? self : StoreDataset(snapshot, memoryGraphs: .none)
    }

    public func quads(subject: Term?, predicate: Term?, object: Term?, in graphs: GraphSelector) -> AnyIterator<Quad> {
        // A predicate that is no IRI matches nothing.
        guard failure == nil, let predicateIRI = predicate.map({ $0.iri }) ?? .some(nil) else { return AnyIterator { nil } }
        if case .only(let selected) = memoryGraphs {
            return selectedQuads(subject: subject, predicate: predicateIRI, object: object, in: graphs, memory: selected)
        }
        let scope = Self.scope(graphs)
        do {
            let found = try snapshot.quads(subject: subject, predicate: predicateIRI, object: object, in: scope)
            if case .defaultGraph = graphs {
                // The default graph is the union of the graphs, and a graph is a set: a triple
                // that four registrations state is one triple of it, not four (RDF 1.1 Concepts
                // §4, SPARQL 1.1 §13.1).
                // Triples of one graph are distinct already (the bulk-imported default graph), so
                // they are not hashed: bench/query.sh (RUNS=10, 25,000 services) gave a geometric
                // mean of 0.247 of pyoxigraph with this check and 0.279 without any dedupe, one
                // run each (noise: no cost measured).
                let first = found.first?.graph
                guard found.contains(where: { $0.graph != first }) else { return AnyIterator(found.lazy.map { Quad($0.triple) }.makeIterator()) }
                var seen = Set<Triple>(minimumCapacity: found.count)
                return AnyIterator(found.lazy.compactMap { seen.insert($0.triple).inserted ? Quad($0.triple) : nil }.makeIterator())
            }
            return AnyIterator(found.makeIterator())
        } catch {
            failure = error
            return AnyIterator { nil }
        }
    }

    public func namedGraphs() -> [Term] {
        do {
            if case .only(let selected) = memoryGraphs {
                return try snapshot.namedGraphs().filter { name in
                    guard let iri = name.iri, snapshot.isMemoryGraph(name) else { return true }
                    return selected.contains(iri)
                }
            }
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
        guard memoryGraphs == .none || snapshot.memoryGraphsAreEmpty else { return nil }
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

    /// Quads of the stored graphs and of the `memory` graphs only.
    private func selectedQuads(subject: Term?, predicate predicateIRI: IRI?, object: Term?, in graphs: GraphSelector,
                               memory: Set<IRI>) -> AnyIterator<Quad> {
        do {
            var found: [Quad]
            switch graphs {
            case .named(let name):
                if snapshot.isMemoryGraph(name) {
                    guard let iri = name.iri, memory.contains(iri) else { return AnyIterator { nil } }
                    found = try snapshot.memoryQuads(subject: subject, predicate: predicateIRI, object: object, graph: iri)
                } else {
                    found = try snapshot.storedQuads(subject: subject, predicate: predicateIRI, object: object, in: .named(name))
                }
            case .anyNamed, .defaultGraph:
                found = try snapshot.storedQuads(subject: subject, predicate: predicateIRI, object: object,
                                                 in: graphs == .anyNamed ? .allNamed : .all)
                for iri in memory.sorted(by: { $0.value < $1.value }) {
                    found += try snapshot.memoryQuads(subject: subject, predicate: predicateIRI, object: object, graph: iri)
                }
            }
            if case .defaultGraph = graphs {
                // The union default graph holds each triple once, as the store's own union does.
                var seen = Set<Triple>()
                return AnyIterator(found.lazy.map { Quad($0.triple) }.filter { seen.insert($0.triple).inserted }.makeIterator())
            }
            return AnyIterator(found.makeIterator())
        } catch {
            failure = error
            return AnyIterator { nil }
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
