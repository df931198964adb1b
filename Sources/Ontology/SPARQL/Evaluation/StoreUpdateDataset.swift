/// The quad store seen as an updatable SPARQL dataset, inside one write transaction.
///
/// Reads see the transaction's own changes. Blank nodes read from the store (labelled `b<id>`)
/// are written back as the same nodes; any other label (a blank node an update creates) becomes
/// a new stored node, the same one for the same label within the request. Storage errors are
/// recorded and rethrown by ``UpdateExecutor`` after the request, which makes the `write`
/// closure fail and the transaction roll back.
public final class StoreUpdateDataset: UpdatableDataset {
    private let transaction: QuadStore.Transaction
    private let reader: StoreDataset
    private var created: [String: BlankNode] = [:]
    private var failure: Error?

    public init(_ transaction: QuadStore.Transaction) {
        self.transaction = transaction
        self.reader = StoreDataset(transaction)
    }

    public func quads(subject: Term?, predicate: Term?, object: Term?, in graphs: GraphSelector) -> AnyIterator<Quad> {
        reader.quads(subject: subject, predicate: predicate, object: object, in: graphs)
    }

    public func namedGraphs() -> [Term] { reader.namedGraphs() }

    public func estimatedCount(subject: Term?, predicate: Term?, object: Term?, in graphs: GraphSelector) -> Int {
        reader.estimatedCount(subject: subject, predicate: predicate, object: object, in: graphs)
    }

    public func storageFailure() -> Error? { failure ?? reader.storageFailure() }

    public func insert(_ quad: Quad) {
        perform { _ = try transaction.insert([try stored(quad)], blankNodes: .store) }
    }

    public func delete(_ quad: Quad) {
        perform {
            // A quad with a blank node the store does not hold cannot be stored, so nothing to delete.
            guard let quad = try storedIfPresent(quad) else { return }
            _ = try transaction.delete([quad])
        }
    }

    public func addGraph(_ name: Term) {
        perform { _ = try transaction.createGraph(name) }
    }

    public func dropGraph(_ name: Term) {
        perform { _ = try transaction.drop(graph: .named(name)) }
    }

    public func clearDefaultGraph() {
        perform { _ = try transaction.clear(graph: .defaultGraph) }
    }

    private func perform(_ body: () throws -> Void) {
        guard failure == nil else { return }
        do { try body() } catch { failure = error }
    }

    /// The quad with every blank node a stored one, creating stored nodes for new labels.
    private func stored(_ quad: Quad) throws -> Quad {
        func map(_ term: Term) throws -> Term {
            guard let node = term.blankNode else { return term }
            if try transaction.dictionary.storedBlankNodeID(label: node.id) != nil { return term }
            if let known = created[node.id] { return .blankNode(known) }
            let made = BlankNode(TermDictionary.blankNodeLabel(for: try transaction.newBlankNode()))
            created[node.id] = made
            return .blankNode(made)
        }
        return Quad(try map(quad.subject), quad.predicate, try map(quad.object), graph: try quad.graph.map(map))
    }

    private func storedIfPresent(_ quad: Quad) throws -> Quad? {
        for term in [quad.subject, quad.object] + (quad.graph.map { [$0] } ?? []) {
            if let node = term.blankNode, try transaction.dictionary.storedBlankNodeID(label: node.id) == nil,
                created[node.id] == nil {
                return nil
            }
        }
        return try stored(quad)
    }
}
