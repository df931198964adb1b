/// Parses SPARQL 1.1 queries and updates into the algebra an evaluator runs.
///
/// The parser reads the whole grammar of SPARQL 1.1 Query and Update, applies the rules the
/// grammar alone does not express (variable scoping of `BIND` and select expressions,
/// grouping, blank node label scoping, where aggregates may appear), and translates the
/// result to ``GraphPattern`` following §18.2. It never crashes on input: every problem is an
/// ``OntologyError`` with code ``OntologyError/Code/sparqlSyntax`` (or
/// ``OntologyError/Code/sparqlDepthLimit`` for nesting beyond 500 levels) and the 1-based line
/// and column where it was found.
///
/// ```swift
/// let parser = SPARQLParser(baseIRI: "http://example.org/")
/// let query = try parser.parseQuery("SELECT * { ?s <p> ?o OPTIONAL { ?o <q> ?x FILTER(?x > 1) } }")
/// print(query.pattern)
/// // (project (?s ?o ?x) (leftjoin (bgp …) (bgp …) (> ?x 1)))
///
/// do {
///     _ = try parser.parseQuery("SELECT * { ?s ?p ?o . . }")
/// } catch let error as OntologyError {
///     print(error)   // 1:21: expected `}` or a graph pattern but found `.`
/// }
/// ```
public struct SPARQLParser: Sendable {
    /// The base IRI for relative IRIs, until the query declares its own with `BASE`. Without
    /// one, a relative IRI is an error.
    public var baseIRI: String?

    public init(baseIRI: String? = nil) {
        self.baseIRI = baseIRI
    }

    /// Parses a query (`SELECT`, `CONSTRUCT`, `DESCRIBE` or `ASK`).
    /// - Throws: ``OntologyError`` with the position of the first problem.
    public func parseQuery(_ text: String) throws -> Query {
        var grammar = try grammar(for: text)
        let syntax = try grammar.parseQueryUnit()
        return try grammar.builder.buildQuery(syntax, baseIRI: grammar.base?.base, prefixes: grammar.prefixes)
    }

    /// Parses an update request: operations separated by `;`.
    /// - Throws: ``OntologyError`` with the position of the first problem.
    public func parseUpdate(_ text: String) throws -> Update {
        var grammar = try grammar(for: text)
        return try grammar.parseUpdateUnit()
    }

    private func grammar(for text: String) throws -> SPARQLGrammar {
        let source = SourceText(text)
        let tokens = try source.bytes.withUnsafeBufferPointer { try SPARQLLexer.tokenize($0) }
        return SPARQLGrammar(tokens: tokens, source: source, baseIRI: baseIRI)
    }
}
