/// SPARQL 1.1 Query Results CSV Format (https://www.w3.org/TR/sparql11-results-csv-tsv/):
/// plain values (IRIs without brackets, literals without datatype or language), lines ending
/// in CRLF, fields quoted when they hold a comma, a quote or a line break.
public struct SPARQLResultsCSVWriter: QueryResultsWriter {
    private let output: ByteOutput

    public init(output: ByteOutput, variables: [Variable]) {
        self.output = output
        output.append(variables.map { SPARQLResultsCSVWriter.field($0.name) }.joined(separator: ",") + "\r\n")
    }

    public mutating func write(_ values: [Term?]) throws {
        var line = ""
        for (index, value) in values.enumerated() {
            if index > 0 { line += "," }
            switch value {
            case .iri(let iri): line += Self.field(iri.value)
            case .blankNode(let node): line += "_:" + node.id
            case .literal(let literal): line += Self.field(literal.lexicalForm)
            case nil: break
            }
        }
        output.append(line + "\r\n")
        try output.flushIfFull()
    }

    public mutating func finish() throws {
        try output.flush()
    }

    static func field(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingAll("\"", with: "\"\"") + "\""
    }
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for character in self { if character == target { out += replacement } else { out.append(character) } }
        return out
    }
}
