import Ontology

/// A table of query solutions, as expected by a test or produced by the engine, compared by
/// isomorphism so that blank-node labels may differ (but must be used consistently).
struct ResultTable {
    var variables: [String]
    var rows: [[String: Term]]
    /// Whether the order of the rows matters (the expected result numbers its rows).
    var ordered = false

    /// The table as a graph: one blank node per row, one triple per binding, and the row's
    /// position when order matters. Two tables are equal iff their graphs are isomorphic.
    func asGraph(ordered: Bool) -> [Triple] {
        var triples: [Triple] = []
        for (index, row) in rows.enumerated() {
            let node = Term.blankNode(BlankNode("row\(index)"))
            // Rows must not be confused with blank nodes in the values: those get their own prefix.
            for (name, value) in row {
                triples.append(Triple(node, IRI("urn:variable:" + name), ResultTable.rename(value)))
            }
            if row.isEmpty { triples.append(Triple(node, IRI("urn:empty-row"), .literal(Literal("")))) }
            if ordered { triples.append(Triple(node, IRI("urn:index"), .literal(Literal(String(index))))) }
        }
        return triples
    }

    private static func rename(_ term: Term) -> Term {
        if case .blankNode(let node) = term { return .blankNode(BlankNode("value-" + node.id)) }
        return term
    }

    /// Whether the two tables hold the same solutions (in the same order if either is ordered).
    func matches(_ other: ResultTable) -> Bool {
        let ordered = self.ordered || other.ordered
        guard rows.count == other.rows.count else { return false }
        return GraphIsomorphism.areIsomorphic(asGraph(ordered: ordered), other.asGraph(ordered: ordered))
    }

    /// The table with every number, boolean and dateTime in its canonical lexical form: the
    /// W3C results write one value in several forms (`"2.0"` and `"2"` for decimals).
    var canonicalized: ResultTable {
        var copy = self
        copy.rows = rows.map { row in row.mapValues(\.canonicalized) }
        return copy
    }

    /// The table without repeated rows.
    var distinct: ResultTable {
        var seen: [[String: Term]] = []
        for row in rows where !seen.contains(row) { seen.append(row) }
        return ResultTable(variables: variables, rows: seen, ordered: ordered)
    }

    /// A short listing for failure messages.
    var summary: String {
        rows.prefix(5).map { row in
            "{" + row.keys.sorted().map { "\($0)=\(row[$0]!)" }.joined(separator: ", ") + "}"
        }.joined(separator: " ") + (rows.count > 5 ? " … (\(rows.count) rows)" : "")
    }
}

/// What a query test expects.
enum ExpectedResult {
    case table(ResultTable)
    case boolean(Bool)
    case graph([Triple])
}
