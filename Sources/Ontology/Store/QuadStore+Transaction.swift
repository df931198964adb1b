extension QuadStore {
    /// A write transaction: a ``Snapshot`` that sees its own changes and can change the store.
    ///
    /// Valid inside one `write` closure. Everything done through it commits together when the
    /// closure returns, or not at all.
    public final class Transaction: Snapshot {
        let writer: Writer
        /// Terms resolved or created in this transaction, published to the shared cache after
        /// COMMIT (never before: a rolled-back id must not be reused for a new row's term).
        private(set) var resolved: [Term: TermID] = [:]
        /// Net change in quads per predicate, applied to `predicate_stats` before COMMIT.
        var predicateDelta: [TermID: Int] = [:]
        /// Named graphs known to have a `named_graph` row in this transaction.
        private var knownGraphs: Set<TermID> = []
        /// Terms of removed quads; those that are blank nodes no quad uses any more are deleted
        /// before COMMIT (see ``TermCollector``).
        var orphanCandidates: Set<TermID> = []
        /// Run after COMMIT (``afterCommit(_:)``).
        var commitHooks: [() -> Void] = []
        /// Values a client keeps for the rest of the transaction (see ``subscript(key:)``).
        private var userInfo: [String: Any] = [:]
        /// Changes to in-memory graphs, applied after COMMIT.
        private var memoryChanges: [MemoryGraphs.Change] = []
        /// The last graph that ``checkWritable(graph:)`` allowed.
        private var writableGraph: Term?
        /// The record changes of a write on a replica, for its log entry (nil otherwise).
        var replicatedRecords: [ReplicatedRecord]?

        /// A value a client keeps for the rest of this transaction: in a grouped write
        /// (``QuadStore/groupedWrite(_:)``), what one write leaves here the next write of the same
        /// transaction sees. A write that throws leaves nothing.
        public subscript(key: String) -> Any? {
            get { userInfo[key] }
            set { userInfo[key] = newValue }
        }

        /// The in-memory side of the transaction, saved before a grouped write's savepoint and
        /// put back when that write throws.
        struct Bookkeeping {
            var resolved: [Term: TermID]
            var predicateDelta: [TermID: Int]
            var knownGraphs: Set<TermID>
            var orphanCandidates: Set<TermID>
            var commitHookCount: Int
            var userInfo: [String: Any]
            var memoryChangeCount: Int
            var replicatedRecordCount: Int?
        }

        func saveBookkeeping() -> Bookkeeping {
            Bookkeeping(resolved: resolved, predicateDelta: predicateDelta, knownGraphs: knownGraphs,
                        orphanCandidates: orphanCandidates, commitHookCount: commitHooks.count, userInfo: userInfo,
                        memoryChangeCount: memoryChanges.count, replicatedRecordCount: replicatedRecords?.count)
        }

        func restoreBookkeeping(_ saved: Bookkeeping) {
            resolved = saved.resolved
            predicateDelta = saved.predicateDelta
            knownGraphs = saved.knownGraphs
            orphanCandidates = saved.orphanCandidates
            commitHooks.removeSubrange(saved.commitHookCount...)
            userInfo = saved.userInfo
            memoryChanges.removeSubrange(saved.memoryChangeCount...)
            if let count = saved.replicatedRecordCount { replicatedRecords?.removeSubrange(count...) }
        }

        init(writer: Writer) {
            self.writer = writer
            super.init(dictionary: writer.dictionary, memory: writer.memoryGraphs.openView())
        }

        // MARK: In-memory graphs

        /// Replaces a graph kept in memory (``MemoryGraphs``) with `triples` when this
        /// transaction commits; no triples drops it. Blank node labels are local to the call.
        ///
        /// Not durable by itself: the caller stores what the graph is built from in the same
        /// transaction (a record) and builds the graph again after the store is reopened.
        public func replaceInMemory(graph: IRI, with triples: [Triple]) throws {
            try replaceInMemory(graph: graph, building: { triples })
        }

        /// Like ``replaceInMemory(graph:with:)``, with the triples built by `triples` when the
        /// graphs are next read (``MemoryGraphs/Change/build(graph:triples:)``), off the writer
        /// and the request. `triples` must depend only on what it captured.
        public func replaceInMemory(graph: IRI, building triples: @escaping @Sendable () -> [Triple]) throws {
            try checkActive()
            memoryChanges.append(.build(graph: graph, triples: triples))
        }

        /// Drops a graph kept in memory when this transaction commits.
        public func dropInMemory(graph: IRI) throws {
            try checkActive()
            memoryChanges.append(.drop(graph: graph))
        }

        /// Throws when `graph` is kept in memory: the generic writes change stored quads only,
        /// and a change there would be lost at the next start or overwritten by the owner.
        func checkWritable(graph: Term) throws {
            guard graph != writableGraph else { return }
            if isMemoryGraph(graph) {
                throw OntologyError(.storeReadOnlyGraph,
                                    "the graph `\(graph)` is kept in memory by its owner and cannot be changed by quad writes")
            }
            writableGraph = graph
        }

        // MARK: Terms

        /// The id of a term, adding it to the store if needed. Blank node labels name stored
        /// nodes (``BlankNodeScope/store``); use ``newBlankNode()`` for a fresh one.
        public func intern(_ term: Term) throws -> TermID {
            try checkActive()
            var scope = BlankNodeMap.store
            return try intern(term, blankNodes: &scope)
        }

        /// A new blank node, distinct from every other.
        public func newBlankNode() throws -> TermID {
            try checkActive()
            let id = try writer.allocateID()
            try dictionary.insertBlankNodeRow(id: id)
            return id
        }

        /// How blank node labels are resolved during one call: as stored nodes, or as labels
        /// local to the call, each mapped to a new node on first use.
        struct BlankNodeMap {
            let fresh: Bool
            var labels: [String: TermID] = [:]

            static var store: BlankNodeMap { BlankNodeMap(fresh: false) }

            init(fresh: Bool) {
                self.fresh = fresh
            }

            init(_ scope: BlankNodeScope) {
                self.fresh = scope == .fresh
            }
        }

        func intern(_ term: Term, blankNodes: inout BlankNodeMap) throws -> TermID {
            if case .blankNode(let node) = term {
                if blankNodes.fresh {
                    if let id = blankNodes.labels[node.id] { return id }
                    let id = try newBlankNode()
                    blankNodes.labels[node.id] = id
                    return id
                }
                guard let id = try dictionary.storedBlankNodeID(label: node.id) else {
                    throw OntologyError(.storeUnknownBlankNode, "the blank node `\(node)` is not in the store")
                }
                return id
            }
            if let id = resolved[term] ?? dictionary.cache.id(for: term) { return id }
            guard let key = TermRowKey(term) else {
                throw OntologyError(.storeInvalidQuad, "cannot store the term `\(term)`")
            }
            if let id = try dictionary.storedID(for: key) {
                resolved[term] = id
                return id
            }
            var datatypeID: TermID?
            if let datatype = key.datatype { datatypeID = try intern(.iri(datatype), blankNodes: &blankNodes) }
            let id = try writer.allocateID()
            try dictionary.insertRow(id: id, key: key, datatypeID: datatypeID)
            resolved[term] = id
            return id
        }

        /// The ids of a quad, adding its terms; the default graph becomes graph 0.
        func encode(_ quad: Quad, blankNodes: inout BlankNodeMap) throws -> EncodedQuad {
            let graph: TermID
            if let name = quad.graph {
                guard !(name.literal != nil) else {
                    throw OntologyError(.storeInvalidQuad, "a graph name cannot be a literal: `\(name)`")
                }
                try checkWritable(graph: name)
                graph = try intern(name, blankNodes: &blankNodes)
            } else {
                graph = .defaultGraph
            }
            return EncodedQuad(try intern(quad.subject, blankNodes: &blankNodes),
                               try intern(.iri(quad.predicate), blankNodes: &blankNodes),
                               try intern(quad.object, blankNodes: &blankNodes), graph: graph)
        }

        // MARK: Inserting and deleting

        /// Adds quads; those already present are skipped.
        /// - Parameter blankNodes: what blank node labels mean; by default each distinct label
        ///   becomes a new node (an import).
        /// - Returns: how many quads were added.
        @discardableResult
        public func insert<S: Sequence>(_ quads: S, blankNodes: BlankNodeScope = .fresh) throws -> Int where S.Element == Quad {
            try checkActive()
            var map = BlankNodeMap(blankNodes)
            var encoded: [EncodedQuad] = []
            for quad in quads { encoded.append(try encode(quad, blankNodes: &map)) }
            return try insert(encoded)
        }

        /// Adds quads given as ids (which must be ids of this store's terms).
        /// - Returns: how many quads were added.
        @discardableResult
        public func insert<S: Sequence>(_ quads: S) throws -> Int where S.Element == EncodedQuad {
            try checkActive()
            var added = 0
            for quad in quads {
                if quad.graph == .defaultGraph {
                    try connection.withStatement("INSERT OR IGNORE INTO dquad(s, p, o) VALUES (?1, ?2, ?3)") { statement in
                        bind(quad, statement)
                        try statement.run()
                    }
                } else {
                    try addGraph(quad.graph)
                    try connection.withStatement("INSERT OR IGNORE INTO nquad(g, s, p, o) VALUES (?4, ?1, ?2, ?3)") { statement in
                        bind(quad, statement)
                        try statement.run()
                    }
                }
                if connection.changes > 0 {
                    added += 1
                    predicateDelta[quad.predicate, default: 0] += 1
                }
            }
            return added
        }

        /// Removes quads; blank nodes are stored ones (``BlankNodeScope/store``), and quads the
        /// store does not hold are ignored.
        /// - Returns: how many quads were removed.
        @discardableResult
        public func delete<S: Sequence>(_ quads: S) throws -> Int where S.Element == Quad {
            try checkActive()
            var encoded: [EncodedQuad] = []
            for quad in quads {
                if let name = quad.graph { try checkWritable(graph: name) }
                guard let subject = try dictionary.id(for: quad.subject),
                    let predicate = try dictionary.id(for: .iri(quad.predicate)),
                    let object = try dictionary.id(for: quad.object) else { continue }
                var graph = TermID.defaultGraph
                if let name = quad.graph {
                    guard let id = try dictionary.id(for: name) else { continue }
                    graph = id
                }
                encoded.append(EncodedQuad(subject, predicate, object, graph: graph))
            }
            return try delete(encoded)
        }

        /// Removes quads given as ids.
        /// - Returns: how many quads were removed.
        @discardableResult
        public func delete<S: Sequence>(_ quads: S) throws -> Int where S.Element == EncodedQuad {
            try checkActive()
            var removed = 0
            for quad in quads {
                let sql = quad.graph == .defaultGraph
                    ? "DELETE FROM dquad WHERE s = ?1 AND p = ?2 AND o = ?3"
                    : "DELETE FROM nquad WHERE g = ?4 AND s = ?1 AND p = ?2 AND o = ?3"
                try connection.withStatement(sql) { statement in
                    bind(quad, statement)
                    try statement.run()
                }
                if connection.changes > 0 {
                    removed += 1
                    predicateDelta[quad.predicate, default: 0] -= 1
                    orphanCandidates.insert(quad.subject)
                    orphanCandidates.insert(quad.object)
                }
            }
            return removed
        }

        private func bind(_ quad: EncodedQuad, _ statement: SQLiteStatement) {
            statement.bind(quad.subject, at: 1)
            statement.bind(quad.predicate, at: 2)
            statement.bind(quad.object, at: 3)
            if quad.graph != .defaultGraph { statement.bind(quad.graph, at: 4) }
        }

        /// Records that a named graph exists.
        func addGraph(_ graph: TermID) throws {
            guard !knownGraphs.contains(graph) else { return }
            try connection.withStatement("INSERT OR IGNORE INTO named_graph(id) VALUES (?1)") { statement in
                statement.bind(graph, at: 1)
                try statement.run()
            }
            knownGraphs.insert(graph)
        }

        // MARK: Statistics, including this transaction's changes

        public override func quadCount() throws -> Int {
            try super.quadCount() + predicateDelta.values.reduce(0, +)
        }

        public override func statistics(for predicate: TermID) throws -> PredicateStatistics? {
            let change = predicateDelta[predicate] ?? 0
            guard var statistics = try super.statistics(for: predicate) else {
                return change > 0 ? PredicateStatistics(triples: change, distinctSubjects: change, distinctObjects: change) : nil
            }
            statistics.triples += change
            return statistics.triples > 0 ? statistics : nil
        }

        public override func predicateStatistics() throws -> [TermID: PredicateStatistics] {
            var result = try super.predicateStatistics()
            for predicate in Set(predicateDelta.keys) {
                result[predicate] = try statistics(for: predicate)
            }
            return result
        }

        // MARK: Commit

        /// Brings `predicate_stats` up to date; called just before COMMIT.
        func prepareCommit() throws {
            try StoreStatistics.apply(predicateDelta, on: connection)
            predicateDelta = [:]
            // At commit, not at delete: DELETE/INSERT WHERE may remove a blank node's last quad
            // and then give it a new one in the same transaction.
            try TermCollector.removeOrphanedBlankNodes(orphanCandidates, on: connection)
            orphanCandidates = []
        }

        /// Deletes every term that no quad, named graph or literal uses, and empties the term
        /// cache. Ids of live terms do not change. The cost is a few index probes per term
        /// (seconds for a million terms), so run it as maintenance, not per request.
        /// - Returns: how many terms were deleted.
        @discardableResult
        public func removeUnusedTerms() throws -> Int {
            try checkActive()
            let removed = try TermCollector.removeUnusedTerms(on: connection)
            // Entries for deleted rows must not survive: the writer would reuse their ids.
            resolved = [:]
            dictionary.cache.removeAll()
            return removed
        }

        /// Publishes the terms of a committed transaction to the shared cache.
        func publishCommitted() {
            writer.memoryGraphs.apply(memoryChanges)
            memoryChanges = []
            // A bulk load resolves far more terms than the cache holds; those would only evict
            // hot ones.
            if !resolved.isEmpty && resolved.count <= dictionary.cache.capacity / 4 {
                dictionary.cache.insert(contentsOf: resolved.lazy.map { ($0.key, $0.value) })
            }
            resolved = [:]
        }

        /// Forgets what a rolled-back transaction resolved.
        func discard() {
            memoryChanges = []
            commitHooks = []
            userInfo = [:]
            resolved = [:]
            predicateDelta = [:]
            knownGraphs = []
            orphanCandidates = []
        }

        func forgetKnownGraph(_ graph: TermID) {
            knownGraphs.remove(graph)
        }

        func removeAllKnownGraphs() {
            knownGraphs = []
        }
    }
}
