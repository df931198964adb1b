/// Writes triples as RDF/XML: one `rdf:Description` per subject, a property element per triple,
/// namespaces declared once on `rdf:RDF`.
///
/// The writer buffers the triples until ``finish()`` (namespaces must be known before the first
/// element). A predicate whose IRI cannot be split into a namespace and an XML name (such as
/// `http://example.org/123`) and text with characters XML 1.0 cannot hold cannot be written in
/// RDF/XML; ``finish()`` throws `rdfxml.unserializable` for them.
///
/// ```swift
/// var writer = RDFXMLWriter(output: ByteOutput(fileDescriptor: 1), prefixes: [("ex", "http://example.org/")])
/// try writer.write(triple)
/// try writer.finish()
/// ```
public struct RDFXMLWriter: RDFWriter {
    private let output: ByteOutput
    private let preferredPrefixes: [(prefix: String, iri: String)]
    private var subjects: [Term] = []
    private var triplesBySubject: [Term: [Triple]] = [:]

    public init(output: ByteOutput, prefixes: [(prefix: String, iri: String)] = []) {
        self.output = output
        self.preferredPrefixes = prefixes
    }

    public mutating func write(_ triple: Triple) throws {
        if case .literal = triple.subject {
            throw OntologyError(.rdfxmlUnserializable, "a literal cannot be the subject of a triple")
        }
        if triplesBySubject[triple.subject] == nil { subjects.append(triple.subject) }
        triplesBySubject[triple.subject, default: []].append(triple)
    }

    public mutating func finish() throws {
        var namespaces = NamespaceTable(preferred: preferredPrefixes)
        var names: [IRI: String] = [:]
        for subject in subjects {
            for triple in triplesBySubject[subject] ?? [] where names[triple.predicate] == nil {
                names[triple.predicate] = try namespaces.qualifiedName(for: triple.predicate)
            }
        }
        var blankLabels: [BlankNode: String] = [:]
        func label(_ node: BlankNode) -> String {
            if let known = blankLabels[node] { return known }
            let fresh = "b\(blankLabels.count)"
            blankLabels[node] = fresh
            return fresh
        }

        output.append("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rdf:RDF")
        for (prefix, iri) in namespaces.declarations {
            output.append("\n    xmlns:\(prefix)=\"\(try XMLEscaping.attribute(iri))\"")
        }
        output.append(">\n")
        for subject in subjects {
            switch subject {
            case .iri(let iri): output.append("  <rdf:Description rdf:about=\"\(try XMLEscaping.attribute(iri.value))\">\n")
            case .blankNode(let node): output.append("  <rdf:Description rdf:nodeID=\"\(label(node))\">\n")
            case .literal: continue
            }
            for triple in triplesBySubject[subject] ?? [] {
                let name = names[triple.predicate] ?? ""
                switch triple.object {
                case .iri(let iri):
                    output.append("    <\(name) rdf:resource=\"\(try XMLEscaping.attribute(iri.value))\"/>\n")
                case .blankNode(let node):
                    output.append("    <\(name) rdf:nodeID=\"\(label(node))\"/>\n")
                case .literal(let literal):
                    output.append("    <\(name)")
                    if let language = literal.language {
                        output.append(" xml:lang=\"\(try XMLEscaping.attribute(language))\"")
                    } else if literal.datatype != XSD.string {
                        output.append(" rdf:datatype=\"\(try XMLEscaping.attribute(literal.datatype.value))\"")
                    }
                    output.append(">\(try XMLEscaping.text(literal.lexicalForm))</\(name)>\n")
                }
                try output.flushIfFull()
            }
            output.append("  </rdf:Description>\n")
        }
        output.append("</rdf:RDF>\n")
        try output.flush()
    }
}

/// The namespaces of an RDF/XML document being written: the caller's prefixes where they fit,
/// `ns0`, `ns1`... otherwise.
private struct NamespaceTable {
    private(set) var declarations: [(prefix: String, iri: String)] = [("rdf", RDF.namespace)]
    private let preferred: [(prefix: String, iri: String)]

    init(preferred: [(prefix: String, iri: String)]) {
        self.preferred = preferred.filter { !$0.prefix.isEmpty && NCName.isValid($0.prefix) && $0.prefix.lowercased() != "xml" }
    }

    mutating func qualifiedName(for predicate: IRI) throws -> String {
        guard let (namespace, localName) = RDFXMLWriter.split(predicate.value) else {
            throw OntologyError(.rdfxmlUnserializable, "predicate `\(predicate.value)` cannot be written as an XML element name")
        }
        if let known = declarations.first(where: { $0.iri == namespace }) { return known.prefix + ":" + localName }
        var prefix = preferred.first(where: { $0.iri == namespace })?.prefix
        if let chosen = prefix, declarations.contains(where: { $0.prefix == chosen }) { prefix = nil }
        let name = prefix ?? "ns\(declarations.count - 1)"
        declarations.append((name, namespace))
        return name + ":" + localName
    }
}

extension RDFXMLWriter {
    /// Splits an IRI into a namespace and the longest XML name at its end.
    static func split(_ iri: String) -> (namespace: String, localName: String)? {
        let scalars = Array(iri.unicodeScalars)
        var start = scalars.count
        while start > 0, NCName.isNameCharacter(scalars[start - 1].value) { start -= 1 }
        // Move forward to the first character that may start a name.
        while start < scalars.count, !NCName.isNameStart(scalars[start].value) { start += 1 }
        guard start < scalars.count, start > 0 else { return nil }
        return (String(String.UnicodeScalarView(scalars[..<start])), String(String.UnicodeScalarView(scalars[start...])))
    }
}

/// Escaping for XML 1.0 text and attribute values.
enum XMLEscaping {
    static func text(_ value: String) throws -> String {
        try escape(value, attribute: false)
    }

    static func attribute(_ value: String) throws -> String {
        try escape(value, attribute: true)
    }

    private static func escape(_ value: String, attribute: Bool) throws -> String {
        var out = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where attribute: out += "&quot;"
            case "\r": out += "&#13;"
            case "\n" where attribute: out += "&#10;"
            case "\t" where attribute: out += "&#9;"
            case "\n", "\t": out.unicodeScalars.append(scalar)
            default:
                // XML 1.0 cannot carry other control characters, nor U+FFFE/U+FFFF.
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    throw OntologyError(.rdfxmlUnserializable, "character U+\(String(scalar.value, radix: 16, uppercase: true)) cannot be written in XML")
                }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
