/// Writes terms in N-Triples syntax, byte by byte, for every writer that shares its term syntax
/// (N-Triples, N-Quads, and the terms of Turtle).
public enum NTriplesEscaping {
    /// Appends `<iri>`.
    @inlinable
    public static func appendIRI(_ iri: IRI, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "<"))
        appendEscapedIRI(iri.value, to: &out)
        out.append(UInt8(ascii: ">"))
    }

    /// Appends `_:label`.
    @inlinable
    public static func appendBlankNode(_ node: BlankNode, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "_"))
        out.append(UInt8(ascii: ":"))
        out.append(contentsOf: node.id.utf8)
    }

    /// Appends a literal: `"lexical"`, `"lexical"@lang` or `"lexical"^^<datatype>`.
    @inlinable
    public static func appendLiteral(_ literal: Literal, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        appendEscapedString(literal.lexicalForm, to: &out)
        out.append(UInt8(ascii: "\""))
        if let language = literal.language {
            out.append(UInt8(ascii: "@"))
            out.append(contentsOf: language.utf8)
        } else if literal.datatype != XSD.string {
            out.append(UInt8(ascii: "^"))
            out.append(UInt8(ascii: "^"))
            appendIRI(literal.datatype, to: &out)
        }
    }

    /// Appends any term.
    @inlinable
    public static func appendTerm(_ term: Term, to out: inout [UInt8]) {
        switch term {
        case .iri(let iri): appendIRI(iri, to: &out)
        case .blankNode(let node): appendBlankNode(node, to: &out)
        case .literal(let literal): appendLiteral(literal, to: &out)
        }
    }

    /// Appends one N-Triples line, with its line break.
    @inlinable
    public static func appendTriple(_ triple: Triple, to out: inout [UInt8]) {
        appendStatement(triple.subject, triple.predicate, triple.object, graph: nil, to: &out)
    }

    /// Appends one N-Quads line (N-Triples with the graph name, none for the default graph).
    @inlinable
    public static func appendQuad(_ quad: Quad, to out: inout [UInt8]) {
        appendStatement(quad.subject, quad.predicate, quad.object, graph: quad.graph, to: &out)
    }

    @inlinable @usableFromInline
    static func appendStatement(_ subject: Term, _ predicate: IRI, _ object: Term, graph: Term?, to out: inout [UInt8]) {
        appendTerm(subject, to: &out)
        out.append(UInt8(ascii: " "))
        appendIRI(predicate, to: &out)
        out.append(UInt8(ascii: " "))
        appendTerm(object, to: &out)
        if let graph {
            out.append(UInt8(ascii: " "))
            appendTerm(graph, to: &out)
        }
        out.append(UInt8(ascii: " "))
        out.append(UInt8(ascii: "."))
        out.append(UInt8(ascii: "\n"))
    }

    /// Appends the body of a string literal with `"`, `\`, line breaks and control characters
    /// escaped, as canonical N-Triples does.
    @inlinable
    public static func appendEscapedString(_ string: String, to out: inout [UInt8]) {
        var string = string
        string.withUTF8 { bytes in
            var clean = true
            for byte in bytes where byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0x7F {
                clean = false
                break
            }
            if clean {
                out.append(contentsOf: bytes)
                return
            }
            for byte in bytes {
                switch byte {
                case 0x22: out.append(0x5C); out.append(0x22)
                case 0x5C: out.append(0x5C); out.append(0x5C)
                case 0x0A: out.append(0x5C); out.append(UInt8(ascii: "n"))
                case 0x0D: out.append(0x5C); out.append(UInt8(ascii: "r"))
                case 0x09: out.append(0x5C); out.append(UInt8(ascii: "t"))
                case 0x08: out.append(0x5C); out.append(UInt8(ascii: "b"))
                case 0x0C: out.append(0x5C); out.append(UInt8(ascii: "f"))
                case 0..<0x20, 0x7F: appendUnicodeEscape(byte, to: &out)
                default: out.append(byte)
                }
            }
        }
    }

    /// Appends an IRI body, escaping the characters N-Triples does not allow inside `<...>`.
    @inlinable
    public static func appendEscapedIRI(_ string: String, to out: inout [UInt8]) {
        var string = string
        string.withUTF8 { bytes in
            // Parsers only make valid IRIs, so the common case is one bulk copy.
            var clean = true
            for byte in bytes where needsIRIEscape(byte) {
                clean = false
                break
            }
            if clean {
                out.append(contentsOf: bytes)
                return
            }
            for byte in bytes {
                if needsIRIEscape(byte) {
                    appendUnicodeEscape(byte, to: &out)
                } else {
                    out.append(byte)
                }
            }
        }
    }

    /// Whether a byte must be escaped inside `<...>`: controls, space and `<>"{}|^`\`, tested
    /// against two bit masks because this runs for every byte of every IRI written.
    @inlinable
    static func needsIRIEscape(_ byte: UInt8) -> Bool {
        // Bits for 0x00-0x20, `"` (0x22), `<` (0x3C) and `>` (0x3E).
        let low: UInt64 = 0x5000_0005_FFFF_FFFF
        // Bits for `\` (0x5C), `^` (0x5E), `` ` `` (0x60), `{` (0x7B), `|` (0x7C) and `}` (0x7D).
        let high: UInt64 = 0x3800_0001_5000_0000
        if byte < 64 { return (low >> UInt64(byte)) & 1 == 1 }
        if byte < 128 { return (high >> UInt64(byte - 64)) & 1 == 1 }
        return false
    }

    @usableFromInline
    static func appendUnicodeEscape(_ byte: UInt8, to out: inout [UInt8]) {
        let hex: [UInt8] = Array("0123456789ABCDEF".utf8)
        out.append(contentsOf: [0x5C, UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
        out.append(hex[Int(byte >> 4)])
        out.append(hex[Int(byte & 0x0F)])
    }

    /// A literal in N-Triples form, as a `String`.
    public static func appendLiteral(_ literal: Literal, to string: inout String) {
        var bytes: [UInt8] = []
        appendLiteral(literal, to: &bytes)
        string += String(decoding: bytes, as: UTF8.self)
    }
}
