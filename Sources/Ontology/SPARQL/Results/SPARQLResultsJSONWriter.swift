/// SPARQL 1.1 Query Results JSON Format (https://www.w3.org/TR/sparql11-results-json/).
public struct SPARQLResultsJSONWriter: QueryResultsWriter {
    private let output: ByteOutput
    private let names: [String]
    private var first = true

    public init(output: ByteOutput, variables: [Variable]) {
        self.output = output
        self.names = variables.map { JSONEscaping.quoted($0.name) }
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
            output.append(name + ":")
            switch value {
            case .iri(let iri):
                output.append(#"{"type":"uri","value":"# + JSONEscaping.quoted(iri.value) + "}")
            case .blankNode(let node):
                output.append(#"{"type":"bnode","value":"# + JSONEscaping.quoted(node.id) + "}")
            case .literal(let literal):
                output.append(#"{"type":"literal","value":"# + JSONEscaping.quoted(literal.lexicalForm))
                if let language = literal.language {
                    output.append(#","xml:lang":"# + JSONEscaping.quoted(language))
                } else if literal.datatype != XSD.string {
                    output.append(#","datatype":"# + JSONEscaping.quoted(literal.datatype.value))
                }
                output.append("}")
            }
        }
        output.append("}")
        try output.flushIfFull()
    }

    public mutating func finish() throws {
        output.append("\n]}}\n")
        try output.flush()
    }
}

/// JSON string quoting (RFC 8259): quote, backslash and control characters escaped.
public enum JSONEscaping {
    /// The string as a JSON string literal, quotes included.
    public static func quoted(_ string: String) -> String {
        var out = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let c where c.value < 0x20:
                let hex = String(c.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
