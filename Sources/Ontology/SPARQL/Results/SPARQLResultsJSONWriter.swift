import JSON

/// SPARQL 1.1 Query Results JSON Format (https://www.w3.org/TR/sparql11-results-json/).
public struct SPARQLResultsJSONWriter: QueryResultsWriter {
    private let output: ByteOutput
    /// Each variable's name as a quoted JSON string, escaped once for all rows.
    private let names: [String]
    private var first = true

    public init(output: ByteOutput, variables: [Variable]) {
        self.output = output
        self.names = variables.map { JSONString.quoted($0.name) }
        output.append(#"{"head":{"vars":["# + names.joined(separator: ",") + #"]},"results":{"bindings":["#)
    }

    public mutating func write(_ values: [Term?]) throws {
        output.append(first ? "\n{" : ",\n{")
        first = false
        var firstBinding = true
        for (name, value) in zip(names, values) {
            guard let value else { continue }
            if !firstBinding { output.append(",") }
            firstBinding = false
            output.append(name)
            switch value {
            case .iri(let iri):
                output.append(#":{"type":"uri","value":"#)
                JSONString.write(iri.value, to: &output.buffer)
            case .blankNode(let node):
                output.append(#":{"type":"bnode","value":"#)
                JSONString.write(node.id, to: &output.buffer)
            case .literal(let literal):
                output.append(#":{"type":"literal","value":"#)
                JSONString.write(literal.lexicalForm, to: &output.buffer)
                if let language = literal.language {
                    output.append(#","xml:lang":"#)
                    JSONString.write(language, to: &output.buffer)
                } else if literal.datatype != XSD.string {
                    output.append(#","datatype":"#)
                    JSONString.write(literal.datatype.value, to: &output.buffer)
                }
            }
            output.append("}")
        }
        output.append("}")
        try output.flushIfFull()
    }

    public mutating func finish() throws {
        output.append("\n]}}\n")
        try output.flush()
    }
}
