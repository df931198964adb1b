/// What a ``QuadStore/Transaction/replace(graph:with:blankNodes:)`` changed.
public struct GraphChange: Hashable, Sendable {
    /// Quads that were added.
    public var inserted: Int
    /// Quads that were removed.
    public var removed: Int

    /// Whether the graph already held exactly the new triples.
    public var isEmpty: Bool { inserted == 0 && removed == 0 }
}

extension QuadStore.Transaction {
    /// Removes every quad of the target graphs. Named graphs stay, empty (SPARQL `CLEAR`).
    /// - Returns: how many quads were removed.
    @discardableResult
    public func clear(graph target: GraphScope) throws -> Int {
        try checkActive()
        var removed = 0
        switch target {
        case .defaultGraph:
            removed = try clearDefaultGraph()
        case .named(let name):
            try checkWritable(graph: name)
            guard let graph = try dictionary.id(for: name) else { return 0 }
            removed = try clearNamedGraph(graph)
        case .allNamed:
            removed = try clearAllNamedGraphs()
        case .all:
            removed = try clearDefaultGraph() + clearAllNamedGraphs()
        }
        return removed
    }

    /// Removes the target graphs: their quads, and for named graphs the graphs themselves
    /// (SPARQL `DROP`; dropping the default graph empties it).
    /// - Returns: whether a target graph existed (always true for the default graph).
    @discardableResult
    public func drop(graph target: GraphScope) throws -> Bool {
        try checkActive()
        switch target {
        case .defaultGraph:
            _ = try clearDefaultGraph()
            return true
        case .named(let name):
            try checkWritable(graph: name)
            guard let graph = try dictionary.id(for: name) else { return false }
            _ = try clearNamedGraph(graph)
            try connection.withStatement("DELETE FROM named_graph WHERE id = ?1") { statement in
                statement.bind(graph, at: 1)
                try statement.run()
            }
            let existed = connection.changes > 0
            forgetKnownGraph(graph)
            orphanCandidates.insert(graph)
            return existed
        case .allNamed:
            _ = try clearAllNamedGraphs()
            try connection.execute("DELETE FROM named_graph")
            removeAllKnownGraphs()
            return true
        case .all:
            _ = try clearDefaultGraph()
            _ = try clearAllNamedGraphs()
            try connection.execute("DELETE FROM named_graph")
            removeAllKnownGraphs()
            return true
        }
    }

    /// Creates an empty named graph (SPARQL `CREATE GRAPH`).
    /// - Returns: false when the graph already existed.
    @discardableResult
    public func createGraph(_ name: Term) throws -> Bool {
        try checkActive()
        guard name.literal == nil else {
            throw OntologyError(.storeInvalidQuad, "a graph name cannot be a literal: `\(name)`")
        }
        try checkWritable(graph: name)
        var map = BlankNodeMap.store
        let graph = try intern(name, blankNodes: &map)
        let existed = try connection.scalar("SELECT count(*) FROM named_graph WHERE id = ?1", graph.rawValue) > 0
        try addGraph(graph)
        return !existed
    }

    /// Makes a graph hold exactly `triples`, atomically with the rest of the transaction.
    ///
    /// Only the difference is written: triples already in the graph stay, so re-registering an
    /// unchanged description writes almost nothing. With ``BlankNodeScope/fresh`` (the default)
    /// the new triples' blank nodes are new nodes, so triples with blank nodes are always
    /// replaced.
    /// - Parameter name: the named graph, or nil for the default graph. A named graph that
    ///   does not exist is created (even when `triples` is empty).
    @discardableResult
    public func replace<S: Sequence>(graph name: Term?, with triples: S,
                                     blankNodes: BlankNodeScope = .fresh) throws -> GraphChange where S.Element == Triple {
        try checkActive()
        var map = BlankNodeMap(blankNodes)
        var graph = TermID.defaultGraph
        if let name {
            guard name.literal == nil else {
                throw OntologyError(.storeInvalidQuad, "a graph name cannot be a literal: `\(name)`")
            }
            try checkWritable(graph: name)
            var store = BlankNodeMap.store
            graph = try intern(name, blankNodes: &store)
            try addGraph(graph)
        }
        var new: Set<EncodedQuad> = []
        for triple in triples {
            new.insert(try encode(Quad(triple, graph: nil), blankNodes: &map).with(graph: graph))
        }
        let old = Set(try quads(matching: EncodedQuadPattern(graph: graph == .defaultGraph ? .defaultGraph : .named(graph))))
        let removed = try delete(old.subtracting(new))
        let inserted = try insert(new.subtracting(old))
        return GraphChange(inserted: inserted, removed: removed)
    }

    // MARK: Clearing

    private func clearDefaultGraph() throws -> Int {
        let removed = try StoreStatistics.removals(
            "SELECT p, count(*) FROM dquad INDEXED BY dquad_pos GROUP BY p", graph: nil,
            on: connection, into: &predicateDelta)
        // No WHERE clause: SQLite's truncate optimization frees the pages without visiting rows.
        if removed > 0 { try connection.execute("DELETE FROM dquad") }
        return removed
    }

    private func clearNamedGraph(_ graph: TermID) throws -> Int {
        let removed = try StoreStatistics.removals(
            "SELECT p, count(*) FROM nquad INDEXED BY nquad_gpos WHERE g = ?1 GROUP BY p", graph: graph,
            on: connection, into: &predicateDelta)
        if removed > 0 {
            try TermCollector.collectBlankNodes(inGraph: graph, on: connection, into: &orphanCandidates)
            try connection.withStatement("DELETE FROM nquad WHERE g = ?1") { statement in
                statement.bind(graph, at: 1)
                try statement.run()
            }
        }
        return removed
    }

    private func clearAllNamedGraphs() throws -> Int {
        let removed = try StoreStatistics.removals(
            "SELECT p, count(*) FROM nquad INDEXED BY nquad_posg GROUP BY p", graph: nil,
            on: connection, into: &predicateDelta)
        if removed > 0 { try connection.execute("DELETE FROM nquad") }
        return removed
    }
}

extension EncodedQuad {
    /// The same triple in another graph.
    func with(graph: TermID) -> EncodedQuad {
        EncodedQuad(subject, predicate, object, graph: graph)
    }
}
