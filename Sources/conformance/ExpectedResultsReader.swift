import Foundation
import JSON
#if canImport(FoundationXML)
import FoundationXML
#endif
import Ontology

/// Reads the expected results of the W3C SPARQL tests: SPARQL XML (.srx) and JSON (.srj)
/// results, TSV, RDF result sets (the `rs:` vocabulary of the SPARQL 1.0 tests), and graphs.
enum ExpectedResultsReader {
    static let rs = "http://www.w3.org/2001/sw/DataAccess/tests/result-set#"

    static func read(_ path: String) throws -> ExpectedResult {
        if path.hasSuffix(".srx") { return try readXML(path) }
        if path.hasSuffix(".srj") { return try readJSON(path) }
        if path.hasSuffix(".tsv") { return try readTSV(path) }
        guard let format = RDFFormat(fileName: path) else {
            throw OntologyError(.unknownFormat, "unknown result format: \(path)")
        }
        var triples: [Triple] = []
        try RDFParser.parse(fileAtPath: path, format: format) { triples.append($0) }
        return resultSet(in: triples) ?? .graph(triples)
    }

    // MARK: - RDF result sets

    /// An `rs:ResultSet` described in RDF, if the graph holds one.
    static func resultSet(in triples: [Triple]) -> ExpectedResult? {
        var bySubject: [Term: [IRI: [Term]]] = [:]
        for triple in triples { bySubject[triple.subject, default: [:]][triple.predicate, default: []].append(triple.object) }
        guard let set = triples.first(where: { $0.predicate == RDF.type && $0.object == .iri(rs + "ResultSet") })?.subject
        else { return nil }
        let properties = bySubject[set] ?? [:]
        if let boolean = properties[IRI(rs + "boolean")]?.first?.literal {
            return .boolean(boolean.lexicalForm == "true")
        }
        let variables = (properties[IRI(rs + "resultVariable")] ?? []).compactMap { $0.literal?.lexicalForm }
        var rows: [(Int?, [String: Term])] = []
        for solution in properties[IRI(rs + "solution")] ?? [] {
            var row: [String: Term] = [:]
            for binding in bySubject[solution]?[IRI(rs + "binding")] ?? [] {
                guard let name = bySubject[binding]?[IRI(rs + "variable")]?.first?.literal?.lexicalForm,
                    let value = bySubject[binding]?[IRI(rs + "value")]?.first else { continue }
                row[name] = value
            }
            let index = bySubject[solution]?[IRI(rs + "index")]?.first?.literal.flatMap { Int($0.lexicalForm) }
            rows.append((index, row))
        }
        let ordered = rows.contains { $0.0 != nil }
        if ordered { rows.sort { ($0.0 ?? 0) < ($1.0 ?? 0) } }
        return .table(ResultTable(variables: variables, rows: rows.map(\.1), ordered: ordered))
    }

    // MARK: - SPARQL Results JSON

    static func readJSON(_ path: String) throws -> ExpectedResult {
        try readJSON(bytes: RDFParser.readFile(atPath: path), source: path)
    }

    /// SPARQL results JSON from `bytes` (a file or a response); `source` names them in errors.
    static func readJSON(bytes: [UInt8], source path: String) throws -> ExpectedResult {
        // (A `catch` of the typed error here crashed the Swift 6.3.1 compiler: "Found ownership error".)
        let object: JSONValue
        switch Result(catching: { () throws(JSONSyntaxError) -> JSONValue in try JSONValue.parse(bytes) }) {
        case .success(let value): object = value
        case .failure(let error): throw OntologyError(.unknownFormat, "\(path): not JSON: \(error)")
        }
        guard case .object = object else { throw OntologyError(.unknownFormat, "\(path): not a JSON object") }
        if case .bool(let boolean)? = object["boolean"] { return .boolean(boolean) }
        var variables: [String] = []
        if case .array(let names)? = object["head"]?["vars"] { variables = names.compactMap(\.stringValue) }
        var bindings: [JSONValue] = []
        if case .array(let items)? = object["results"]?["bindings"] { bindings = items }
        var rows: [[String: Term]] = []
        for binding in bindings {
            guard case .object(let members) = binding else { continue }
            var row: [String: Term] = [:]
            for (name, value) in members {
                guard let type = value["type"]?.stringValue, let text = value["value"]?.stringValue else { continue }
                switch type {
                case "uri": row[name] = .iri(IRI(text))
                case "bnode": row[name] = .blankNode(BlankNode(text))
                default:
                    if let language = value["xml:lang"]?.stringValue {
                        row[name] = .literal(Literal(text, language: language))
                    } else if let datatype = value["datatype"]?.stringValue {
                        row[name] = .literal(Literal(text, datatype: IRI(datatype)))
                    } else {
                        row[name] = .literal(Literal(text))
                    }
                }
            }
            rows.append(row)
        }
        return .table(ResultTable(variables: variables, rows: rows))
    }

    // MARK: - TSV

    static func readTSV(_ path: String) throws -> ExpectedResult {
        let text = String(decoding: try RDFParser.readFile(atPath: path), as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0) }
        if lines.last == "" { lines.removeLast() }
        guard let header = lines.first else { return .table(ResultTable(variables: [], rows: [])) }
        let variables = header.split(separator: "\t", omittingEmptySubsequences: false).map { String($0.dropFirst()) }
        var rows: [[String: Term]] = []
        for line in lines.dropFirst() {
            var row: [String: Term] = [:]
            for (name, field) in zip(variables, line.split(separator: "\t", omittingEmptySubsequences: false)) where !field.isEmpty {
                row[name] = try term(fromTurtle: String(field))
            }
            rows.append(row)
        }
        return .table(ResultTable(variables: variables, rows: rows))
    }

    /// One term in Turtle syntax, read by parsing it as the object of a triple.
    static func term(fromTurtle text: String) throws -> Term {
        var object: Term?
        try RDFParser.parse("<urn:s> <urn:p> \(text) .", format: .turtle) { object = $0.object }
        guard let object else { throw OntologyError(.turtleSyntax, "no term in `\(text)`") }
        return object
    }

    // MARK: - SPARQL Results XML

    static func readXML(_ path: String) throws -> ExpectedResult {
        try readXML(data: Data(contentsOf: URL(fileURLWithPath: path)), source: path)
    }

    /// SPARQL results XML from `data` (a file or a response); `source` names them in errors.
    static func readXML(data: Data, source path: String) throws -> ExpectedResult {
        let delegate = SRXDelegate()
        let parser = XMLParser(data: data)
        parser.delegate = delegate
        guard parser.parse() else {
            throw OntologyError(.unknownFormat, "\(path): \(parser.parserError.map { "\($0)" } ?? "malformed XML")")
        }
        if let boolean = delegate.boolean { return .boolean(boolean) }
        return .table(ResultTable(variables: delegate.variables, rows: delegate.rows))
    }

    private final class SRXDelegate: NSObject, XMLParserDelegate {
        var variables: [String] = []
        var rows: [[String: Term]] = []
        var boolean: Bool?
        private var row: [String: Term]?
        private var bindingName: String?
        private var element = ""
        private var attributes: [String: String] = [:]
        private var text = ""

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String]) {
            element = name
            text = ""
            switch name {
            case "variable": if let variable = attributes["name"] { variables.append(variable) }
            case "result": row = [:]
            case "binding": bindingName = attributes["name"]
            default: self.attributes = attributes
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            switch name {
            case "result":
                if let row { rows.append(row) }
                row = nil
            case "boolean":
                boolean = text.trimmingCharacters(in: .whitespacesAndNewlines) == "true"
            case "uri":
                if let bindingName { row?[bindingName] = .iri(IRI(text)) }
            case "bnode":
                if let bindingName { row?[bindingName] = .blankNode(BlankNode(text)) }
            case "literal":
                guard let bindingName else { break }
                if let language = attributes["xml:lang"] {
                    row?[bindingName] = .literal(Literal(text, language: language))
                } else if let datatype = attributes["datatype"] {
                    row?[bindingName] = .literal(Literal(text, datatype: IRI(datatype)))
                } else {
                    row?[bindingName] = .literal(Literal(text))
                }
            default:
                break
            }
        }
    }
}
