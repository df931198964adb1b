import Foundation
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
/// Indexing is deferred. A commit only appends its changes to a log; the index takes them in,
/// in order and with the versions they committed at, when a snapshot first reads the graphs
/// (``catchUp(to:)``), or in the background (``indexPending(quietFor:budget:quietBudget:)``): fully when writes
/// pause, a little at a time while they go on. A change may even leave
/// its triples to be built then (``Change/build(graph:triples:)``). So a registration's commit
/// costs an append, and a burst of them is indexed once a reader needs it, in parallel, with a
/// graph replaced several times in the meantime built once. A reader after a burst waits for
/// the burst to be indexed (`bench/README.md` measures how long).
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
        /// Replaces a graph's triples with those `triples` returns, called when the change is
        /// indexed (not at all when a later change replaces the graph before any snapshot could
        /// see this one). No triples drops the graph.
        case build(graph: IRI, triples: @Sendable () -> [Triple])
        /// Removes a graph and its triples.
        case drop(graph: IRI)

        var name: IRI {
            switch self {
            case .replace(let prepared): prepared.name
            case .build(let graph, _), .drop(let graph): graph
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

    /// The index: every quad some view may see, and the postings to find them.
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
        /// The newest version indexed.
        var version: UInt64 = 0
        var liveCount = 0
        var deadCount = 0

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

    /// One committed transaction's changes, waiting to be indexed.
    private struct Commit {
        let version: UInt64
        var changes: [Change]
    }

    /// What commits and views share, under its own lock so that neither waits for indexing.
    private struct Log {
        /// The newest committed version.
        var version: UInt64 = 0
        /// Commits not yet indexed, oldest first, from `head` on.
        var pending: [Commit] = []
        var head = 0
        /// Versions of open views, with how many views read each.
        var openViews: [UInt64: Int] = [:]
        var lastCommit = ContinuousClock.now
        /// The changes of the pending commits.
        var pendingChanges = 0

        var pendingCount: Int { pending.count - head }
    }

    // Lock order: `indexing`, then `state`, then `log`.
    private let state = Mutex(State())
    private let log = Mutex(Log())
    /// Held by whoever indexes pending commits, so that two readers do not build the same graphs.
    private let indexing = Mutex(0)
    /// The newest version indexed, readable without a lock.
    private let indexedVersion = Atomic<UInt64>(0)
    /// How many quads are kept, live or dead, readable without the lock: a store with no
    /// in-memory graphs (a bulk-loaded dataset) answers every pattern without taking it.
    private let keptCount = Atomic<Int>(0)

    /// Dead quads are compacted away once there are more of them than this and than live ones.
    let compactionThreshold: Int

    public init(compactionThreshold: Int = 50_000) {
        self.compactionThreshold = compactionThreshold
    }

    // MARK: Writing

    /// Commits one transaction's changes as one new version: views opened from now on see them.
    /// They are indexed later (see the type's documentation).
    public func apply(_ changes: [Change]) {
        guard !changes.isEmpty else { return }
        log.withLock { log in
            log.version += 1
            log.pending.append(Commit(version: log.version, changes: changes))
            log.pendingChanges += changes.count
            log.lastCommit = .now
        }
    }

    /// How many commits wait to be indexed.
    public var pendingCommitCount: Int { log.withLock { $0.pendingCount } }

    /// Indexes every commit up to `version` (every commit when nil); returns at once when they
    /// are. Commits are taken in batches, each batch's graphs built on all cores.
    public func catchUp(to version: UInt64? = nil) {
        let target = version ?? log.withLock { $0.version }
        while indexedVersion.load(ordering: .acquiring) < target {
            indexing.withLock { _ in
                guard indexedVersion.load(ordering: .acquiring) < target else { return }
                indexBatch(upTo: target)
            }
        }
    }

    /// Indexes pending commits in the background: while writes go on, in small batches for
    /// about `budget` of wall time; once nothing has committed for `quiet`, in batches on every
    /// core for about `quietBudget`. So a steady stream of writes is indexed as it comes, while
    /// a burst that saturates the machine is left mostly for its first reader or the pause after
    /// it. Returns how many commits it indexed.
    @discardableResult
    public func indexPending(quietFor quiet: Duration, budget: Duration, quietBudget: Duration) -> Int {
        let start = ContinuousClock.now
        var indexed = 0
        while true {
            let (count, last, target) = log.withLock { ($0.pendingCount, $0.lastCommit, $0.version) }
            let now = ContinuousClock.now
            let isQuiet = now - last >= quiet
            guard count > 0, now - start < (isQuiet ? quietBudget : budget) else { return indexed }
            let limit = isQuiet ? Self.batchSize : Self.backgroundBatchSize
            indexed += indexing.withLock { _ in indexBatch(upTo: target, changeLimit: limit) }
        }
    }

    /// How many graph changes (replacements and drops) wait to be indexed.
    public var pendingChangeCount: Int { log.withLock { $0.pendingChanges } }

    /// How many changes a batch collects (whole commits, at least one): bounds the prepared
    /// graphs held at once, and how long the index's lock is held.
    public static let batchSize = 2048
    /// The batch of ``indexPending(quietFor:budget:quietBudget:)`` while writes go on: small, so that it
    /// keeps to its budget.
    static let backgroundBatchSize = 64

    /// Indexes the next pending commits, up to `target` and about ``batchSize`` changes; call with `indexing`
    /// held. Returns how many it indexed.
    private func indexBatch(upTo target: UInt64, changeLimit: Int = MemoryGraphs.batchSize) -> Int {
        let (batch, viewVersions) = log.withLock { log -> ([Commit], [UInt64]) in
            var batch: [Commit] = []
            var position = log.head
            var changes = 0
            while position < log.pending.count, changes < changeLimit, log.pending[position].version <= target {
                batch.append(log.pending[position])
                changes += log.pending[position].changes.count
                position += 1
            }
            return (batch, Array(log.openViews.keys))
        }
        guard !batch.isEmpty else { return 0 }
        let ready = built(batch, viewVersions: viewVersions)
        state.withLock { state in
            for commit in ready where commit.version > state.version {
                Self.index(commit, into: &state)
            }
            if state.deadCount > compactionThreshold && state.deadCount > state.liveCount {
                let oldest = log.withLock { $0.openViews.keys.min() ?? $0.version }
                Self.compact(&state, keepingFrom: oldest)
            }
            keptCount.store(state.entries.count, ordering: .releasing)
            indexedVersion.store(state.version, ordering: .releasing)
        }
        log.withLock { log in
            log.head += batch.count
            log.pendingChanges -= batch.reduce(0) { $0 + $1.changes.count }
            if log.head == log.pending.count {
                log.pending.removeAll(keepingCapacity: log.pending.count <= 4096)
                log.head = 0
            } else if log.head > 4096 && log.head * 2 > log.pending.count {
                log.pending.removeFirst(log.head)
                log.head = 0
            }
        }
        return batch.count
    }

    /// `batch` with every ``Change/build(graph:triples:)`` built and prepared, on all cores when
    /// there are many; a build no view could see (the same graph changes again later in the
    /// batch, and no open view's version lies between) becomes a drop.
    private func built(_ batch: [Commit], viewVersions: [UInt64]) -> [Commit] {
        var lastChange: [IRI: UInt64] = [:]
        var toBuild: [(commit: Int, change: Int)] = []
        for (commitIndex, commit) in batch.enumerated().reversed() {
            for (changeIndex, change) in commit.changes.enumerated().reversed() {
                let later = lastChange[change.name]
                lastChange[change.name] = commit.version
                guard case .build = change else { continue }
                if let later, !viewVersions.contains(where: { $0 >= commit.version && $0 < later }) { continue }
                toBuild.append((commitIndex, changeIndex))
            }
        }
        var commits = batch.map { commit in
            // Superseded builds first become drops; the rest are replaced below.
            Commit(version: commit.version, changes: commit.changes.map { change in
                if case .build(let graph, _) = change { return .drop(graph: graph) }
                return change
            })
        }
        let jobs: [(graph: IRI, triples: @Sendable () -> [Triple])] = toBuild.map { item in
            guard case .build(let graph, let triples) = batch[item.commit].changes[item.change] else { preconditionFailure("not a build") }
            return (graph, triples)
        }
        @Sendable func build(_ job: Int) -> Change {
            let prepared = prepare(graph: jobs[job].graph, triples: jobs[job].triples())
            return prepared.count == 0 ? .drop(graph: jobs[job].graph) : .replace(prepared)
        }
        let parts = jobs.count >= 64 ? max(1, ProcessInfo.processInfo.activeProcessorCount) : 1
        if parts == 1 {
            for (job, item) in toBuild.enumerated() { commits[item.commit].changes[item.change] = build(job) }
        } else {
            let results = Mutex<[Int: [Change]]>([:])
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                let changes = stride(from: part, to: jobs.count, by: parts).map { build($0) }
                results.withLock { $0[part] = changes }
            }
            let byPart = results.withLock { $0 }
            for part in 0..<parts {
                for (offset, change) in (byPart[part] ?? []).enumerated() {
                    let item = toBuild[part + offset * parts]
                    commits[item.commit].changes[item.change] = change
                }
            }
        }
        return commits
    }

    /// Adds one commit's changes to the index as its version.
    private static func index(_ commit: Commit, into state: inout State) {
        let version = commit.version
        for change in commit.changes {
            let graph = state.id(for: HashedTerm(.iri(change.name)))
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
        state.version = version
    }

    /// Drops the quads no view from version `oldest` on can see, and the terms only they used.
    private static func compact(_ state: inout State, keepingFrom oldest: UInt64) {
        var rebuilt = State()
        rebuilt.version = state.version
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

    /// A view of the newest committed version, kept from compaction until ``close(_:)``.
    public func openView() -> View {
        log.withLock { log in
            log.openViews[log.version, default: 0] += 1
            return View(graphs: self, version: log.version)
        }
    }

    /// Ends a view from ``openView()``.
    public func close(_ view: View) {
        log.withLock { log in
            guard let count = log.openViews[view.version] else { return }
            log.openViews[view.version] = count > 1 ? count - 1 : nil
        }
    }

    /// The newest version's live quads, how many of the kept quads are dead, and the version
    /// (everything committed is indexed first).
    public var counts: (live: Int, dead: Int, version: UInt64) {
        catchUp()
        return state.withLock { ($0.liveCount, $0.deadCount, $0.version) }
    }

    // MARK: Reading

    /// The quads matching a pattern (nil matches anything) in one graph or, with `graph` nil,
    /// in all of them, as `view` sees them.
    func quads(subject: Term?, predicate: IRI?, object: Term?, graph: IRI?, in view: View) -> [Quad] {
        catchUp(to: view.version)
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
    func estimatedCount(subject: Term?, predicate: IRI?, object: Term?, graph: IRI?, in view: View) -> Int {
        catchUp(to: view.version)
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
        catchUp(to: view.version)
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
        catchUp(to: view.version)
        guard keptCount.load(ordering: .acquiring) > 0 else { return false }
        return state.withLock { state in
            guard let id = state.existingID(for: .iri(graph)) else { return false }
            return state.byGraph[Int(id)].contains { state.entries[Int($0)].isVisible(at: view.version) }
        }
    }

    /// Whether `view` sees any quad (false lets SQL joins run alone).
    func isEmpty(in view: View) -> Bool {
        catchUp(to: view.version)
        guard keptCount.load(ordering: .acquiring) > 0 else { return true }
        return state.withLock { state in
            if state.version == view.version { return state.liveCount == 0 }
            if state.liveCount == 0 && state.deadCount == 0 { return true }
            return !state.entries.contains { $0.isVisible(at: view.version) }
        }
    }

    /// How many quads `view` sees.
    func count(in view: View) -> Int {
        catchUp(to: view.version)
        return state.withLock { state in
            if state.version == view.version { return state.liveCount }
            return state.entries.reduce(0) { $0 + ($1.isVisible(at: view.version) ? 1 : 0) }
        }
    }
}
