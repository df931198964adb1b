import Ontology

/// Writes a query result in a chosen syntax: SELECT/ASK in a SPARQL results format or as a text
/// table; CONSTRUCT/DESCRIBE in an RDF syntax. Shared by `registryd query` and `/sparql`.
enum ResultRenderer {
    /// The syntax of a rendered result.
    enum Syntax: Equatable {
        case results(QueryResultsFormat)
        case table
        case graph(RDFFormat)
        /// JSON-LD, expanded (written only: the parsers read the other RDF syntaxes).
        case jsonLD
    }

    static func write(_ result: QueryResult, as syntax: Syntax, prefixes: [(prefix: String, iri: String)], to output: ByteOutput) throws {
        switch result {
        case .solutions(let variables, let rows):
            switch syntax {
            case .results(let format):
                var writer = format.writer(output: output, variables: variables)
                for row in rows { try writer.write(row) }
                try writer.finish()
            case .table, .graph, .jsonLD:
                output.append(SolutionTable(variables: variables, rows: rows).text)
                try output.flush()
            }
        case .boolean(let value):
            switch syntax {
            case .results(let format): try format.writeBoolean(value, to: output)
            case .table, .graph, .jsonLD:
                output.append("\(value)\n")
                try output.flush()
            }
        case .graph(let triples):
            var writer: any RDFWriter
            switch syntax {
            case .graph(.nTriples): writer = NTriplesWriter(output: output)
            case .graph(.rdfXML): writer = RDFXMLWriter(output: output, prefixes: prefixes)
            case .jsonLD: writer = JSONLDWriter(output: output)
            default: writer = TurtleWriter(output: output, prefixes: prefixes)
            }
            for triple in triples { try writer.write(triple) }
            try writer.finish()
        }
    }
}

/// Solutions as an aligned text table, for terminals.
struct SolutionTable {
    let variables: [Variable]
    let rows: [[Term?]]

    var text: String {
        let header = variables.map { "?" + $0.name }
        let cells = rows.map { row in row.map { $0.map(\.description) ?? "" } }
        var widths = header.map(\.count)
        for row in cells {
            for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], cell.count) }
        }
        func line(_ values: [String]) -> String {
            zip(values, widths).map { $0 + String(repeating: " ", count: max(0, $1 - $0.count)) }.joined(separator: " | ")
        }
        var out = line(header) + "\n" + widths.map { String(repeating: "-", count: $0) }.joined(separator: "-+-") + "\n"
        for row in cells { out += line(row) + "\n" }
        out += "(\(rows.count) row\(rows.count == 1 ? "" : "s"))\n"
        return out
    }
}
