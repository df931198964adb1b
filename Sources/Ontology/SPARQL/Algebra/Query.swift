/// A parsed SPARQL 1.1 query: its form, dataset and algebra.
///
/// ```swift
/// let query = try SPARQLParser().parseQuery("""
///     PREFIX sosa: <http://www.w3.org/ns/sosa/>
///     SELECT ?sensor WHERE { ?sensor a sosa:Sensor } LIMIT 10
///     """)
/// if case .select(let variables) = query.form { print(variables) }   // [?sensor]
/// print(query.pattern)   // (slice _ 10 (project (?sensor) (bgp …)))
/// ```
public struct Query: Hashable, Sendable, CustomStringConvertible {
    /// What the query returns.
    public enum Form: Hashable, Sendable {
        /// Solutions, with the projected variables in order (`SELECT *` lists the in-scope
        /// variables).
        case select([Variable])
        /// A graph built from the template for each solution.
        case construct([TriplePattern])
        /// Whether there is a solution.
        case ask
        /// A description of each resource: the IRIs listed, and the values of the listed
        /// variables in each solution.
        case describe([TermPattern])
    }

    /// `SELECT`, `CONSTRUCT`, `ASK` or `DESCRIBE`, with what the form needs.
    public var form: Form
    /// The `FROM` / `FROM NAMED` dataset, nil when the query names none.
    public var dataset: QueryDataset?
    /// The algebra that produces the solutions, with the solution modifiers applied (and for
    /// `SELECT` and `DESCRIBE`, the projection).
    public var pattern: GraphPattern
    /// The base IRI in effect at the end of the prologue, for writers of results.
    public var baseIRI: String?
    /// The prefixes the query declared, for writers of `CONSTRUCT` and `DESCRIBE` results.
    public var prefixes: [String: String]

    public init(form: Form, dataset: QueryDataset? = nil, pattern: GraphPattern, baseIRI: String? = nil,
                prefixes: [String: String] = [:]) {
        self.form = form
        self.dataset = dataset
        self.pattern = pattern
        self.baseIRI = baseIRI
        self.prefixes = prefixes
    }

    /// The algebra as an S-expression: the pattern for `SELECT`, wrapped in `(ask …)`,
    /// `(construct (template) …)` or `(describe (terms) …)` for the other forms, and in
    /// `(dataset …)` when the query has `FROM` clauses.
    public var description: String {
        var out: String
        switch form {
        case .select: out = pattern.description
        case .ask: out = "(ask \(pattern))"
        case .construct(let template):
            out = "(construct (" + template.map(\.description).joined(separator: " ") + ") \(pattern))"
        case .describe(let terms):
            out = "(describe (" + terms.map(\.description).joined(separator: " ") + ") \(pattern))"
        }
        if let dataset { out = "(dataset \(dataset) \(out))" }
        return out
    }
}

