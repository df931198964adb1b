/// A parsed SPARQL 1.1 Update request: operations to run in order.
///
/// ```swift
/// let update = try SPARQLParser().parseUpdate("""
///     PREFIX ex: <http://example.org/>
///     INSERT DATA { GRAPH ex:g { ex:s ex:p 1 } } ;
///     DELETE WHERE { ?s ex:old ?o }
///     """)
/// update.operations.count   // 2
/// ```
public struct Update: Hashable, Sendable, CustomStringConvertible {
    /// The operations, in the order they run.
    public var operations: [UpdateOperation]
    /// The base IRI in effect at the end of the request.
    public var baseIRI: String?
    /// The prefixes declared anywhere in the request.
    public var prefixes: [String: String]

    public init(operations: [UpdateOperation], baseIRI: String? = nil, prefixes: [String: String] = [:]) {
        self.operations = operations
        self.baseIRI = baseIRI
        self.prefixes = prefixes
    }

    /// `(update op1 op2 …)`.
    public var description: String {
        "(update" + operations.map { " \($0)" }.joined() + ")"
    }
}
