/// SPARQL Query Results XML Format (https://www.w3.org/TR/rdf-sparql-XMLres/).
public struct SPARQLResultsXMLWriter: QueryResultsWriter {
    private let output: ByteOutput
    private let names: [String]

    public init(output: ByteOutput, variables: [Variable]) {
        self.output = output
        // Variable names are SPARQL names, which never need escaping in an attribute.
        self.names = variables.map(\.name)
        output.append(#"<?xml version="1.0"?>"# + "\n" + #"<sparql xmlns="http://www.w3.org/2005/sparql-results#">"# + "\n  <head>\n")
        for name in names { output.append("    <variable name=\"\(name)\"/>\n") }
        output.append("  </head>\n  <results>\n")
    }

    public mutating func write(_ values: [Term?]) throws {
        output.append("    <result>\n")
        for (name, value) in zip(names, values) {
            guard let value else { continue }
            output.append("      <binding name=\"\(name)\">")
            switch value {
            case .iri(let iri):
                output.append("<uri>\(try XMLEscaping.text(iri.value))</uri>")
            case .blankNode(let node):
                output.append("<bnode>\(try XMLEscaping.text(node.id))</bnode>")
            case .literal(let literal):
                output.append("<literal")
                if let language = literal.language {
                    output.append(" xml:lang=\"\(try XMLEscaping.attribute(language))\"")
                } else if literal.datatype != XSD.string {
                    output.append(" datatype=\"\(try XMLEscaping.attribute(literal.datatype.value))\"")
                }
                output.append(">\(try XMLEscaping.text(literal.lexicalForm))</literal>")
            }
            output.append("</binding>\n")
        }
        output.append("    </result>\n")
        try output.flushIfFull()
    }

    public mutating func finish() throws {
        output.append("  </results>\n</sparql>\n")
        try output.flush()
    }
}
