import AccessControl
import Ontology
import Registry
import Synchronization

/// Answers the access service's ontology questions from the quad store, with RDFS reasoning
/// over the admin's schema, without blocking a concurrency thread: every read runs on the
/// store's reader threads (``QuadStore/read(_:)-async``).
///
/// What it reads is the trust rule of docs/trust.md: orderings of domains only from the
/// admin's graphs, facts about a resource only from the admin's graphs and the registrations
/// that offer the resource's name (``Registry/graphs(describing:)``), never the union: another
/// tenant's registration cannot change a decision about a resource it does not own.
///
/// A decision does not query the store: it gets the ``ResourceFacts`` of its API, read once per
/// API and policy generation and kept until the next commit (``QuadStore/commitCount``).
public final class StoreOntologySource: Sendable {
    let store: QuadStore
    /// The registration graphs that describe an API name.
    let graphs: @Sendable (String) -> Set<IRI>
    private let cache = Mutex(FactCache())
    /// How many APIs' facts are kept; past it the cache starts again (a registry has far
    /// fewer APIs than this that gateways ask about in one commit interval).
    static let cacheLimit = 10_000

    private struct FactCache {
        var generation: Int64 = -1
        var commitCount: UInt64 = 0
        var facts: [String: ResourceFacts] = [:]
    }

    public init(store: QuadStore, graphs: @escaping @Sendable (String) -> Set<IRI>) {
        self.store = store
        self.graphs = graphs
    }

    /// Runs `body` with the store's ontology as one snapshot sees it, on a reader thread.
    public func reading<T: Sendable>(_ body: @escaping @Sendable (any OntologySource) throws -> T) async throws -> T {
        let graphs = self.graphs
        let schemas = store.schemas
        return try await store.read { snapshot in
            try body(SnapshotOntology(snapshot: snapshot, graphs: graphs, schemas: schemas))
        }
    }

    /// ``reading(_:)`` on the calling thread, which blocks on the store: only for threads of
    /// the store's own (a commit hook on the writer queue), never for a concurrency thread.
    public func readingBlocking<T>(_ body: (any OntologySource) throws -> T) throws -> T {
        try store.read { snapshot in
            try body(SnapshotOntology(snapshot: snapshot, graphs: graphs, schemas: store.schemas))
        }
    }

    /// What the policies in force may ask about the resource named `api`.
    public func facts(api: String, policies: PolicySet) async throws -> ResourceFacts {
        let current = store.commitCount
        if let known = cache.withLock({ cache -> ResourceFacts? in
            guard cache.generation == policies.generation, cache.commitCount == current else { return nil }
            return cache.facts[api]
        }) { return known }
        let graphs = self.graphs
        let schemas = store.schemas
        let (facts, readAt) = try await store.read { snapshot in
            let ontology = SnapshotOntology(snapshot: snapshot, graphs: graphs, schemas: schemas)
            return (ResourceFacts(api: api, classes: policies.resourceClasses, properties: policies.resourceProperties, from: ontology),
                    snapshot.commitCount ?? 0)
        }
        cache.withLock { cache in
            if cache.generation != policies.generation || cache.commitCount != readAt || cache.facts.count >= Self.cacheLimit {
                cache = FactCache(generation: policies.generation, commitCount: readAt)
            }
            cache.facts[api] = facts
        }
        return facts
    }
}

/// The ontology as one store snapshot sees it. Only ever used inside the read closure that
/// owns the snapshot (``StoreOntologySource/reading(_:)``): `@unchecked Sendable` because
/// ``OntologySource`` is `Sendable`, while a snapshot must not leave its thread.
struct SnapshotOntology: OntologySource, @unchecked Sendable {
    let snapshot: QuadStore.Snapshot
    let graphs: @Sendable (String) -> Set<IRI>
    let schemas: RDFSSchemaCache

    private func run(_ text: String, memoryGraphs: StoreDataset.MemoryGraphSelection) throws -> QueryResult {
        let query = try SPARQLParser().parseQuery(text)
        let dataset = StoreDataset(snapshot, memoryGraphs: memoryGraphs)
        return try QueryEvaluator(dataset: dataset, reasoning: true, schema: dataset.rdfsSchema(cache: schemas)).evaluate(query)
    }

    /// A string as a SPARQL literal (its N-Triples form is valid SPARQL).
    private static func quoted(_ text: String) -> String { Literal(text).description }

    private static func checkedIRI(_ iri: String) throws -> String {
        guard IRI.isAbsolute(iri) else {
            throw AccessServiceError(.invalidRequest, "`\(iri)` is not an absolute IRI")
        }
        return "<\(iri)>"
    }

    func orderedMembers(ofClass classIRI: String, orderedBy property: String) throws -> [String] {
        let type = try Self.checkedIRI(classIRI)
        let order = try Self.checkedIRI(property)
        guard case .solutions(_, let members) = try run("SELECT DISTINCT ?m WHERE { ?m a \(type) }", memoryGraphs: .none),
              case .solutions(_, let pairs) = try run("SELECT ?a ?b WHERE { ?a a \(type) . ?b a \(type) . ?a \(order) ?b }",
                                                      memoryGraphs: .none) else { return [] }
        let names = Set(members.compactMap { $0.first??.iriValue })
        var below: [String: Set<String>] = [:]
        for pair in pairs {
            guard pair.count == 2, let a = pair[0]?.iriValue, let b = pair[1]?.iriValue else { continue }
            below[b, default: []].insert(a)
        }
        // Rank by the longest chain below each member (a topological order); a cycle is an error.
        var rank: [String: Int] = [:]
        var visiting: Set<String> = []
        func depth(_ member: String) throws -> Int {
            if let known = rank[member] { return known }
            guard visiting.insert(member).inserted else {
                throw AccessServiceError(.invalidRequest, "the ordering <\(property)> has a cycle through <\(member)>")
            }
            let value = try (below[member] ?? []).map { try depth($0) + 1 }.max() ?? 0
            visiting.remove(member)
            rank[member] = value
            return value
        }
        for name in names { _ = try depth(name) }
        return names.sorted { (rank[$0]!, $0) < (rank[$1]!, $1) }
    }

    /// The graph pattern that binds `?r` to the node an API name denotes: a service or virtual
    /// object carries its full name; a method or channel carries its own name under its object.
    private static func resource(_ api: String) -> String {
        var pattern = "{ ?r <\(MS.name)> \(quoted(api)) }"
        if let slash = api.lastIndex(of: "/") {
            let object = quoted(String(api[..<slash]))
            let local = quoted(String(api[api.index(after: slash)...]))
            pattern += " UNION { ?parent <\(MS.name)> \(object) ; <\(MS.hasMethod)>|<\(MS.hasEventChannel)> ?r . ?r <\(MS.name)> \(local) }"
        }
        return pattern
    }

    func isInstance(api: String, of classIRI: String) -> Bool? {
        guard let type = try? Self.checkedIRI(classIRI) else { return nil }
        let resource = Self.resource(api)
        let selection = StoreDataset.MemoryGraphSelection.only(graphs(api))
        guard case .boolean(let known)? = try? run("ASK { \(resource) }", memoryGraphs: selection), known else { return nil }
        let query = """
            ASK { \(resource)
              { ?r a \(type) } UNION { ?r <\(MS.exposes)> ?d . ?d a \(type) }
              UNION { ?o <\(MS.hasMethod)>|<\(MS.hasEventChannel)> ?r . ?o <\(MS.exposes)> ?d . ?d a \(type) }
              UNION { ?o <\(MS.hasMethod)>|<\(MS.hasEventChannel)> ?r . ?o a \(type) } }
            """
        guard case .boolean(let result)? = try? run(query, memoryGraphs: selection) else { return nil }
        return result
    }

    func values(of property: String, api: String) -> [String] {
        guard let predicate = try? Self.checkedIRI(property),
              case .solutions(_, let rows)? = try? run("SELECT DISTINCT ?v WHERE { \(Self.resource(api)) ?r \(predicate) ?v }",
                                                         memoryGraphs: .only(graphs(api))) else { return [] }
        return rows.compactMap { row in
            guard let term = row.first ?? nil else { return nil }
            return term.iriValue ?? term.literal?.lexicalForm
        }
    }
}

extension Term {
    fileprivate var iriValue: String? {
        if case .iri(let iri) = self { return iri.value }
        return nil
    }
}
