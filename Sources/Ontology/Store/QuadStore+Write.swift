/// One-call writes, each in its own transaction. From async code, call the same methods on the
/// transaction inside `try await store.write { ... }` instead, so the work runs on the writer
/// queue.
extension QuadStore {
    /// Adds quads in one transaction; see ``Transaction/insert(_:blankNodes:)``.
    @discardableResult
    public func insert<S: Sequence>(_ quads: S, blankNodes: BlankNodeScope = .fresh) throws -> Int where S.Element == Quad {
        try write { try $0.insert(quads, blankNodes: blankNodes) }
    }

    /// Removes quads in one transaction; see ``Transaction/delete(_:)-(S)``.
    @discardableResult
    public func delete<S: Sequence>(_ quads: S) throws -> Int where S.Element == Quad {
        try write { try $0.delete(quads) }
    }

    /// Empties graphs in one transaction; see ``Transaction/clear(graph:)``.
    @discardableResult
    public func clear(graph target: GraphScope) throws -> Int {
        try write { try $0.clear(graph: target) }
    }

    /// Removes graphs in one transaction; see ``Transaction/drop(graph:)``.
    @discardableResult
    public func drop(graph target: GraphScope) throws -> Bool {
        try write { try $0.drop(graph: target) }
    }

    /// Replaces a graph's triples atomically; see ``Transaction/replace(graph:with:blankNodes:)``.
    @discardableResult
    public func replace<S: Sequence>(graph name: Term?, with triples: S,
                                     blankNodes: BlankNodeScope = .fresh) throws -> GraphChange where S.Element == Triple {
        try write { try $0.replace(graph: name, with: triples, blankNodes: blankNodes) }
    }

    /// The names of the named graphs.
    public func namedGraphs() throws -> [Term] {
        try read { try $0.namedGraphs() }
    }
}
