/// SPARQL 1.1 Query Results TSV Format (https://www.w3.org/TR/sparql11-results-csv-tsv/):
/// `?var` headers and terms in Turtle syntax (numbers and booleans in their short form), one
/// tab-separated line per solution.
public struct SPARQLResultsTSVWriter: QueryResultsWriter {
    private let output: ByteOutput

    public init(output: ByteOutput, variables: [Variable]) {
        self.output = output
        output.append(variables.map { "?" + $0.name }.joined(separator: "\t") + "\n")
    }

    public mutating func write(_ values: [Term?]) throws {
        for (index, value) in values.enumerated() {
            if index > 0 { output.buffer.append(0x09) }
            guard let value else { continue }
            if case .literal(let literal) = value, literal.language == nil, Self.isShortForm(literal) {
                output.append(literal.lexicalForm)
            } else {
                // N-Triples escaping keeps tabs and line breaks out of the field.
                NTriplesEscaping.appendTerm(value, to: &output.buffer)
            }
        }
        output.buffer.append(0x0A)
        try output.flushIfFull()
    }

    public mutating func finish() throws {
        try output.flush()
    }

    private static func isShortForm(_ literal: Literal) -> Bool {
        let form = literal.lexicalForm
        switch literal.datatype {
        case XSD.integer: return TurtleTermFormatter.isIntegerForm(form)
        case XSD.decimal: return TurtleTermFormatter.isDecimalForm(form)
        case XSD.double: return TurtleTermFormatter.isDoubleForm(form)
        case XSD.boolean: return form == "true" || form == "false"
        default: return false
        }
    }
}
