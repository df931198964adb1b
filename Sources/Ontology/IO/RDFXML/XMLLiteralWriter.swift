internal import CLibXML2

/// Writes the content of an `rdf:parseType="Literal"` element as exclusive canonical XML
/// (https://www.w3.org/TR/xml-exc-c14n/), the lexical form RDF 1.1 gives `rdf:XMLLiteral`.
///
/// Exclusive canonicalization declares a namespace on the first element that visibly uses it,
/// writes empty elements as start and end tags, sorts attributes, and escapes text and attribute
/// values in a fixed way.
struct XMLLiteralWriter {
    private var output: [UInt8] = []
    /// For each open element, the namespace declarations written on it (prefix, IRI).
    private var rendered: [[(String, String)]] = []

    var result: String { String(decoding: output, as: UTF8.self) }

    mutating func startElement(localName: UnsafePointer<xmlChar>?, prefix: UnsafePointer<xmlChar>?,
                               namespace: UnsafePointer<xmlChar>?,
                               attributes: UnsafeBufferPointer<UnsafePointer<xmlChar>?>) {
        let elementPrefix = prefix.map { String(cString: $0) } ?? ""
        let elementNamespace = namespace.map { String(cString: $0) } ?? ""
        var needed: [(String, String)] = [(elementPrefix, elementNamespace)]
        var attributeList: [(namespace: String, localName: String, qualifiedName: String, value: String)] = []
        var index = 0
        while index + 4 < attributes.count {
            let local = attributes[index].map { String(cString: $0) } ?? ""
            let attributePrefix = attributes[index + 1].map { String(cString: $0) }
            let attributeNamespace = attributes[index + 2].map { String(cString: $0) } ?? ""
            let value = RDFXMLReader.string(from: attributes[index + 3], to: attributes[index + 4])
            index += 5
            var qualified = local
            if let attributePrefix {
                qualified = attributePrefix + ":" + local
                if attributePrefix != "xml" { needed.append((attributePrefix, attributeNamespace)) }
            }
            attributeList.append((attributeNamespace, local, qualified, value))
        }

        var declarations: [(String, String)] = []
        for (declaredPrefix, iri) in needed where !declarations.contains(where: { $0.0 == declaredPrefix }) {
            let inScope = lookup(declaredPrefix)
            if declaredPrefix.isEmpty && iri.isEmpty {
                if let inScope, !inScope.isEmpty { declarations.append(("", "")) }
            } else if inScope != iri {
                declarations.append((declaredPrefix, iri))
            }
        }
        declarations.sort { $0.0 < $1.0 }
        attributeList.sort { ($0.namespace, $0.localName) < ($1.namespace, $1.localName) }

        output.append(UInt8(ascii: "<"))
        appendQualifiedName(prefix: elementPrefix, localName: localName)
        for (declaredPrefix, iri) in declarations {
            output.append(contentsOf: Array(" xmlns".utf8))
            if !declaredPrefix.isEmpty {
                output.append(UInt8(ascii: ":"))
                output.append(contentsOf: Array(declaredPrefix.utf8))
            }
            output.append(contentsOf: Array("=\"".utf8))
            appendEscaped(iri, attribute: true)
            output.append(UInt8(ascii: "\""))
        }
        for attribute in attributeList {
            output.append(UInt8(ascii: " "))
            output.append(contentsOf: Array(attribute.qualifiedName.utf8))
            output.append(contentsOf: Array("=\"".utf8))
            appendEscaped(attribute.value, attribute: true)
            output.append(UInt8(ascii: "\""))
        }
        output.append(UInt8(ascii: ">"))
        rendered.append(declarations)
    }

    mutating func endElement(localName: UnsafePointer<xmlChar>?, prefix: UnsafePointer<xmlChar>?) {
        output.append(contentsOf: Array("</".utf8))
        appendQualifiedName(prefix: prefix.map { String(cString: $0) } ?? "", localName: localName)
        output.append(UInt8(ascii: ">"))
        if !rendered.isEmpty { rendered.removeLast() }
    }

    mutating func text(_ bytes: UnsafeBufferPointer<UInt8>) {
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "&"): output.append(contentsOf: Array("&amp;".utf8))
            case UInt8(ascii: "<"): output.append(contentsOf: Array("&lt;".utf8))
            case UInt8(ascii: ">"): output.append(contentsOf: Array("&gt;".utf8))
            case 0x0D: output.append(contentsOf: Array("&#xD;".utf8))
            default: output.append(byte)
            }
        }
    }

    /// The namespace IRI most recently written for a prefix by an enclosing literal element.
    private func lookup(_ prefix: String) -> String? {
        for declarations in rendered.reversed() {
            if let match = declarations.first(where: { $0.0 == prefix }) { return match.1 }
        }
        return nil
    }

    private mutating func appendQualifiedName(prefix: String, localName: UnsafePointer<xmlChar>?) {
        if !prefix.isEmpty {
            output.append(contentsOf: Array(prefix.utf8))
            output.append(UInt8(ascii: ":"))
        }
        if let localName { output.append(contentsOf: Array(String(cString: localName).utf8)) }
    }

    private mutating func appendEscaped(_ value: String, attribute: Bool) {
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "&"): output.append(contentsOf: Array("&amp;".utf8))
            case UInt8(ascii: "<"): output.append(contentsOf: Array("&lt;".utf8))
            case UInt8(ascii: "\""): output.append(contentsOf: Array("&quot;".utf8))
            case 0x09: output.append(contentsOf: Array("&#x9;".utf8))
            case 0x0A: output.append(contentsOf: Array("&#xA;".utf8))
            case 0x0D: output.append(contentsOf: Array("&#xD;".utf8))
            default: output.append(byte)
            }
        }
    }
}
