/// One operation of a SPARQL 1.1 Update request (§3).
public enum UpdateOperation: Hashable, Sendable, CustomStringConvertible {
    /// `INSERT DATA { … }`. Blank nodes stand for new nodes, fresh for each operation.
    case insertData([Quad])
    /// `DELETE DATA { … }` (never holds blank nodes).
    case deleteData([Quad])
    /// `DELETE { … } INSERT { … } WHERE { … }`, and `DELETE WHERE { … }` (whose pattern is its
    /// template). `WITH <g>` is already applied: it names the graph of template quads that had
    /// none, and is the default graph of `using` unless `USING` clauses were given.
    case deleteInsert(delete: [QuadPattern], insert: [QuadPattern], using: QueryDataset?, pattern: GraphPattern)
    /// `LOAD [SILENT] <source> [INTO GRAPH <destination>]`; nil destination is the default graph.
    case load(source: IRI, destination: IRI?, silent: Bool)
    /// `CLEAR [SILENT] target`.
    case clear(GraphTarget, silent: Bool)
    /// `DROP [SILENT] target`.
    case drop(GraphTarget, silent: Bool)
    /// `CREATE [SILENT] GRAPH <g>`.
    case create(IRI, silent: Bool)
    /// `ADD [SILENT] from TO to`: insert all of one graph into another.
    case add(from: GraphReference, to: GraphReference, silent: Bool)
    /// `COPY [SILENT] from TO to`: replace a graph with a copy of another.
    case copy(from: GraphReference, to: GraphReference, silent: Bool)
    /// `MOVE [SILENT] from TO to`: copy, then drop the source.
    case move(from: GraphReference, to: GraphReference, silent: Bool)

    public var description: String {
        switch self {
        case .insertData(let quads):
            return "(insertData" + quads.map { " " + Self.quad($0) }.joined() + ")"
        case .deleteData(let quads):
            return "(deleteData" + quads.map { " " + Self.quad($0) }.joined() + ")"
        case .deleteInsert(let delete, let insert, let using, let pattern):
            return "(modify (delete" + delete.map { " \($0)" }.joined() + ") (insert"
                + insert.map { " \($0)" }.joined() + ")" + (using.map { " (using \($0))" } ?? "") + " \(pattern))"
        case .load(let source, let destination, let silent):
            return "(load\(silent ? " silent" : "") \(source)" + (destination.map { " \($0)" } ?? "") + ")"
        case .clear(let target, let silent): return "(clear\(silent ? " silent" : "") \(target))"
        case .drop(let target, let silent): return "(drop\(silent ? " silent" : "") \(target))"
        case .create(let graph, let silent): return "(create\(silent ? " silent" : "") \(graph))"
        case .add(let from, let to, let silent): return "(add\(silent ? " silent" : "") \(from) \(to))"
        case .copy(let from, let to, let silent): return "(copy\(silent ? " silent" : "") \(from) \(to))"
        case .move(let from, let to, let silent): return "(move\(silent ? " silent" : "") \(from) \(to))"
        }
    }

    private static func quad(_ quad: Quad) -> String {
        "(quad \(quad.graph.map(SSE.term) ?? "_") \(SSE.term(quad.subject)) \(quad.predicate) \(SSE.term(quad.object)))"
    }
}
