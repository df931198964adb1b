import Synchronization

/// Named graphs held in memory beside the SQLite quads, which every snapshot of the store sees
/// as part of the store.
///
/// Some graphs are derived from records their owner already keeps durably: the registry builds
/// each registration's graph from the registration's record. Writing such a graph into the six
/// B-tree indexes of `nquad` is what made a registration cost milliseconds (`bench/README.md`,
/// "Where a registration's time goes"), and it buys nothing a restart cannot rebuild from the
/// record. So the owner writes these graphs here, in the same transaction as the record
/// (``QuadStore/Transaction/replaceInMemory(graph:with:)``), and builds them again when it opens
/// the store; the store keeps them only until it closes. Consul keeps its catalog the same way,
/// in memory, rebuilt from what its log made durable.
///
/// Reads are versioned, like the SQLite snapshots beside them: every quad carries the version
/// that added it and the one that removed it, a snapshot sees the quads live at the version it
/// started at, and one transaction's changes become visible together, after its COMMIT. Quads
/// that no open snapshot can see any more are dropped by a compaction once they outnumber the
/// live ones.
///
/// Graph names are IRIs. A graph exists while it has a quad; writing no triples drops it.
///
/// Not ``MemoryDataset``: that one is a value for one evaluation (the conformance runner's), and
/// every copy-on-write change would copy its indexes; this one is shared by all snapshots and
/// changed in place under a lock, with versions keeping each snapshot's view.
public final class MemoryGraphs: Sendable {
    /// One change of a transaction, applied when it commits.
    public enum Change: Sendable {
        /// Replaces a graph's triples.
        case replace(PreparedGraph)
        /// Removes a graph and its triples.
        case drop(graph: IRI)

        var graph: HashedTerm {
            switch self {
            case .replace(let prepared): prepared.graph
            case .drop(let graph): HashedTerm(.iri(graph))
            }
        }
    }

    /// A graph's triples made ready to apply, away from the writer: duplicates removed, blank
    /// nodes renamed apart from every other write, each distinct term listed once with its hash,
    /// and the triples as positions in that list. The writer then interns each distinct term
    /// once (a registration's 102 triples have about 40 distinct terms) and hashes no string.
    public struct PreparedGraph: Sendable {
        public let name: IRI
        let graph: HashedTerm
        let terms: [HashedTerm]
        let triples: [(subject: Int32, predicate: Int32, object: Int32)]
        public var count: Int { triples.count }
    }

    /// A term with its hash computed once.
    struct HashedTerm: Hashable, Sendable {
        let term: Term
        let hash: Int

        init(_ term: Term) {
            self.term = term
            self.hash = term.hashValue
        }

        static func == (a: HashedTerm, b: HashedTerm) -> Bool { a.hash == b.hash && a.term == b.term }
        func hash(into hasher: inout Hasher) { hasher.combine(hash) }
    }

    /// A triple as positions in its graph's term list, for removing duplicates.
    private struct TripleKey: Hashable {
        let subject: Int32
        let predicate: Int32
        let object: Int32
    }

    /// Numbers the blank nodes of prepared graphs.
    private let blankNodeCounter = Atomic<UInt64>(0)

    /// Prepares `triples` as the content of `graph` (see ``PreparedGraph``); thread-safe.
    public func prepare(graph: IRI, triples: [Triple]) -> PreparedGraph {
        var labels: [String: HashedTerm] = [:]
        func term(_ term: Term) -> HashedTerm {
            guard case .blankNode(let node) = term else { return HashedTerm(term) }
            if let renamed = labels[node.id] { return renamed }
            // `m<n>` cannot be taken for a stored node's `b<id>` label.
            let number = blankNodeCounter.add(1, ordering: .relaxed).newValue
            let renamed = HashedTerm(.blankNode(BlankNode("m\(number)")))
            labels[node.id] = renamed
            return renamed
        }
        var positions = [HashedTerm: Int32](minimumCapacity: triples.count)
        var terms: [HashedTerm] = []
        terms.reserveCapacity(triples.count)
        func position(_ term: HashedTerm) -> Int32 {
            if let known = positions[term] { return known }
            let new = Int32(terms.count)
            terms.append(term)
            positions[term] = new
            return new
        }
        var seen = Set<TripleKey>(minimumCapacity: triples.count)
        var prepared: [(subject: Int32, predicate: Int32, object: Int32)] = []
        prepared.reserveCapacity(triples.count)
        var lastSubject: (Term, Int32)?
        for triple in triples {
            // A graph lists a node's triples together: its subject is usually the last one.
            let subject: Int32
            if let (term, known) = lastSubject, term == triple.subject {
                subject = known
            } else {
                subject = position(term(triple.subject))
                lastSubject = (triple.subject, subject)
            }
            let key = TripleKey(subject: subject, predicate: position(HashedTerm(.iri(triple.predicate))),
                                object: position(term(triple.object)))
            guard seen.insert(key).inserted else { continue }
            prepared.append((key.subject, key.predicate, key.object))
        }
        return PreparedGraph(name: graph, graph: HashedTerm(.iri(graph)), terms: terms, triples: prepared)
    }

    /// What a snapshot reads: the graphs as of one version. Closed by the snapshot's end.
    public struct View: Sendable {
        let graphs: MemoryGraphs
        let version: UInt64
    }

    private struct Entry {
        var graph: UInt32
        var subject: UInt32
        var predicate: UInt32
        var object: UInt32
        var added: UInt64
        var removed: UInt64

        func isVisible(at version: UInt64) -> Bool { added <= version && version < removed }
    }

    private struct State {
        var ids: [HashedTerm: UInt32] = [:]
        var terms: [Term] = []
        var entries: [Entry] = []
        /// Entry positions by graph, subject, predicate and object id.
        /// Indexed by term id (ids are dense), so that an append hashes nothing.
        var byGraph: [[UInt32]] = []
        var bySubject: [[UInt32]] = []
        var byPredicate: [[UInt32]] = []
        var byObject: [[UInt32]] = []
        var version: UInt64 = 0
        var liveCount = 0
        var deadCount = 0
        /// Versions of open views, with how many views read each.
        var openViews: [UInt64: Int] = [:]

        mutating func id(for term: HashedTerm) -> UInt32 {
            if let id = ids[term] { return id }
            let id = UInt32(terms.count)
            terms.append(term.term)
            ids[term] = id
            byGraph.append([])
            bySubject.append([])
            byPredicate.append([])
            byObject.append([])
            return id
        }

        func existingID(for term: Term) -> UInt32? { ids[HashedTerm(term)] }

        mutating func append(_ entry: Entry) {
            let position = UInt32(entries.count)
            entries.append(entry)
            byGraph[Int(entry.graph)].append(position)
            bySubject[Int(entry.subject)].append(position)
            byPredicate[Int(entry.predicate)].append(position)
            byObject[Int(entry.object)].append(position)
        }
    }

    private let state = Mutex(State())
    /// How many quads are kept, live or dead, readable without the lock: a store with no
    /// in-memory graphs (a bulk-loaded dataset) answers every pattern without taking it.
    private let keptCount = Atomic<Int>(0)

    /// Dead quads are compacted away once there are more of them than this and than live ones.
    let compactionThreshold: Int

    public init(compactionThreshold: Int = 50_000) {
        self.compactionThreshold = compactionThreshold
    }

    // MARK: Writing

    /// Applies one transaction's changes as one new version.
    public func apply(_ changes: [Change]) {
        guard !changes.isEmpty else { return }
        state.withLock { state in
            state.version += 1
            let version = state.version
            for change in changes {
                let graph = state.id(for: change.graph)
                for position in state.byGraph[Int(graph)] where state.entries[Int(position)].removed == .max {
                    state.entries[Int(position)].removed = version
                    state.liveCount -= 1
                    state.deadCount += 1
                }
                guard case .replace(let prepared) = change else { continue }
                var ids: [UInt32] = []
                ids.reserveCapacity(prepared.terms.count)
                for term in prepared.terms { ids.append(state.id(for: term)) }
                for (subject, predicate, object) in prepared.triples {
                    state.append(Entry(graph: graph, subject: ids[Int(subject)], predicate: ids[Int(predicate)],
                                       object: ids[Int(object)], added: version, removed: .max))
                }
                state.liveCount += prepared.triples.count
            }
            if state.deadCount > compactionThreshold && state.deadCount > state.liveCount { Self.compact(&state) }
            keptCount.store(state.entries.count, ordering: .releasing)
        }
    }

    /// Drops the quads no open or future view can see, and the terms only they used.
    private static func compact(_ state: inout State) {
        let oldest = state.openViews.keys.min() ?? state.version
        var rebuilt = State()
        rebuilt.version = state.version
        rebuilt.openViews = state.openViews
        // Old id -> new id, so that each kept term is hashed once.
        var remapped = [UInt32](repeating: .max, count: state.terms.count)
        func id(_ old: UInt32) -> UInt32 {
            if remapped[Int(old)] == .max { remapped[Int(old)] = rebuilt.id(for: HashedTerm(state.terms[Int(old)])) }
            return remapped[Int(old)]
        }
        for entry in state.entries where entry.removed > oldest {
            var copy = entry
            copy.graph = id(entry.graph)
            copy.subject = id(entry.subject)
            copy.predicate = id(entry.predicate)
            copy.object = id(entry.object)
            rebuilt.append(copy)
            if entry.removed == .max { rebuilt.liveCount += 1 } else { rebuilt.deadCount += 1 }
        }
        state = rebuilt
    }

    // MARK: Views

    /// A view of the current version, kept from compaction until ``close(_:)``.
    public func openView() -> View {
        state.withLock { state in
            state.openViews[state.version, default: 0] += 1
            return View(graphs: self, version: state.version)
        }
    }

    /// Ends a view from ``openView()``.
    public func close(_ view: View) {
        state.withLock { state in
            guard let count = state.openViews[view.version] else { return }
            state.openViews[view.version] = count > 1 ? count - 1 : nil
        }
    }

    /// The current version's live quads, how many of the kept quads are dead, and the version.
    public var counts: (live: Int, dead: Int, version: UInt64) {
        state.withLock { ($0.liveCount, $0.deadCount, $0.version) }
    }

    // MARK: Reading

    /// The quads matching a pattern (nil matches anything) in one graph or, with `graph` nil,
    /// in all of them, as `view` sees them.
    func quads(subject: Term?, predicate: IRI?, object: Term?, graph: IRI?, in view: View) -> [Quad] {
        guard keptCount.load(ordering: .acquiring) > 0 else { return [] }
        return state.withLock { state in
            guard let positions = Self.candidates(subject, predicate, object, graph, state) else { return [] }
            let s = subject.flatMap { state.existingID(for: $0) }
            let p = predicate.flatMap { state.existingID(for: .iri($0)) }
            let o = object.flatMap { state.existingID(for: $0) }
            let g = graph.flatMap { state.existingID(for: .iri($0)) }
            var result: [Quad] = []
            func visit(_ entry: Entry) {
                guard entry.isVisible(at: view.version) else { return }
                if let s, entry.subject != s { return }
                if let p, entry.predicate != p { return }
                if let o, entry.object != o { return }
                if let g, entry.graph != g { return }
                guard case .iri(let predicateIRI) = state.terms[Int(entry.predicate)] else { return }
                result.append(Quad(state.terms[Int(entry.subject)], predicateIRI, state.terms[Int(entry.object)],
                                   graph: state.terms[Int(entry.graph)]))
            }
            if let positions {
                for position in positions { visit(state.entries[Int(position)]) }
            } else {
                for entry in state.entries { visit(entry) }
            }
            return result
        }
    }

    /// An upper bound of the matches of a pattern (dead quads not yet compacted included).
    func estimatedCount(subject: Term?, predicate: IRI?, object: Term?, graph: IRI?) -> Int {
        guard keptCount.load(ordering: .acquiring) > 0 else { return 0 }
        return state.withLock { state in
            guard let positions = Self.candidates(subject, predicate, object, graph, state) else { return 0 }
            return positions?.count ?? state.liveCount
        }
    }

    /// The shortest posting list among the bound positions; `.some(nil)` when none is bound,
    /// nil when a bound term is in no quad.
    private static func candidates(_ subject: Term?, _ predicate: IRI?, _ object: Term?, _ graph: IRI?,
                                   _ state: State) -> [UInt32]?? {
        var best: [UInt32]?
        func consider(_ term: Term?, _ index: [[UInt32]]) -> Bool {
            guard let term else { return true }
            guard let id = state.existingID(for: term) else { return false }
            let list = index[Int(id)]
            guard !list.isEmpty else { return false }
            if best == nil || list.count < best!.count { best = list }
            return true
        }
        guard consider(subject, state.bySubject), consider(object, state.byObject),
            consider(graph.map { .iri($0) }, state.byGraph), consider(predicate.map { .iri($0) }, state.byPredicate)
        else { return nil }
        return .some(best)
    }

    /// The graphs with a quad in `view`, sorted by IRI.
    func graphNames(in view: View) -> [IRI] {
        guard keptCount.load(ordering: .acquiring) > 0 else { return [] }
        return state.withLock { state in
            var names: [IRI] = []
            for (graph, positions) in state.byGraph.enumerated()
            where positions.contains(where: { state.entries[Int($0)].isVisible(at: view.version) }) {
                if case .iri(let iri) = state.terms[Int(graph)] { names.append(iri) }
            }
            return names.sorted { $0.value < $1.value }
        }
    }

    /// Whether `graph` has a quad in `view`.
    func contains(graph: IRI, in view: View) -> Bool {
        guard keptCount.load(ordering: .acquiring) > 0 else { return false }
        return state.withLock { state in
            guard let id = state.existingID(for: .iri(graph)) else { return false }
            return state.byGraph[Int(id)].contains { state.entries[Int($0)].isVisible(at: view.version) }
        }
    }

    /// Whether `view` sees any quad (false lets SQL joins run alone).
    func isEmpty(in view: View) -> Bool {
        guard keptCount.load(ordering: .acquiring) > 0 else { return true }
        return state.withLock { state in
            if state.version == view.version { return state.liveCount == 0 }
            if state.liveCount == 0 && state.deadCount == 0 { return true }
            return !state.entries.contains { $0.isVisible(at: view.version) }
        }
    }

    /// How many quads `view` sees.
    func count(in view: View) -> Int {
        state.withLock { state in
            if state.version == view.version { return state.liveCount }
            return state.entries.reduce(0) { $0 + ($1.isVisible(at: view.version) ? 1 : 0) }
        }
    }
}
