/// Parses RDF 1.1 N-Triples from UTF-8 bytes, strictly: one triple per line, absolute IRIs only,
/// `.` required, comments and blank lines allowed, `UCHAR`/`ECHAR` escapes decoded.
///
/// Errors are ``OntologyError`` values with code ``OntologyError/Code/ntriplesSyntax`` and the
/// line and column of the offending token.
///
/// ```swift
/// var parser = NTriplesParser()
/// try parser.parse("<http://a> <http://b> \"c\" .\n") { triple in print(triple) }
/// ```
public struct NTriplesParser: Sendable {
    public init() {}

    /// Parses a whole document. Blank node labels are kept as written.
    public mutating func parse(_ bytes: UnsafeBufferPointer<UInt8>, emit: (Triple) throws -> Void) throws {
        var reader = Reader(lexer: TurtleLexer(bytes: bytes, code: .ntriplesSyntax))
        try reader.run(emit: emit)
    }

    /// Parses a whole document held in a string.
    public mutating func parse(_ string: String, emit: (Triple) throws -> Void) throws {
        var string = string
        try string.withUTF8 { bytes in
            try parse(bytes, emit: emit)
        }
    }

    /// The line grammar on top of the Turtle lexer's token scanners, which N-Triples shares.
    private struct Reader {
        var lexer: TurtleLexer
        var cache = IRICache(bits: 12)
        let blankNodes = BlankNodeGenerator()

        init(lexer: TurtleLexer) {
            self.lexer = lexer
        }

        mutating func run(emit: (Triple) throws -> Void) throws {
            while true {
                lexer.skipWhitespaceAndComments()
                guard let first = lexer.byte(at: lexer.index) else { return }
                let subject: Term
                switch first {
                case UInt8(ascii: "<"): subject = .iri(try iri())
                case UInt8(ascii: "_"): subject = .blankNode(try blankNode())
                case UInt8(ascii: "\""): throw error("a literal cannot be a subject")
                default: throw error("expected a subject (`<iri>` or `_:label`), found \(found)")
                }
                skipSpaces()
                guard lexer.byte(at: lexer.index) == UInt8(ascii: "<") else {
                    throw error("expected a predicate (`<iri>`), found \(found)")
                }
                let predicate = try iri()
                skipSpaces()
                let object: Term
                switch lexer.byte(at: lexer.index) {
                case UInt8(ascii: "<"): object = .iri(try iri())
                case UInt8(ascii: "_"): object = .blankNode(try blankNode())
                case UInt8(ascii: "\""): object = .literal(try literal())
                default: throw error("expected an object, found \(found)")
                }
                skipSpaces()
                guard lexer.byte(at: lexer.index) == UInt8(ascii: ".") else {
                    throw error("expected `.` at the end of the triple, found \(found)")
                }
                lexer.index += 1
                skipSpaces()
                if lexer.byte(at: lexer.index) == UInt8(ascii: "#") { lexer.skipComment() }
                if let b = lexer.byte(at: lexer.index), b != 0x0A && b != 0x0D {
                    throw error("expected the end of the line after `.`, found \(found)")
                }
                try emit(Triple(subject, predicate, object))
            }
        }

        private var found: String { lexer.excerpt(at: lexer.index) }

        private func error(_ message: String) -> OntologyError {
            lexer.error(message, at: lexer.index)
        }

        /// Spaces and tabs only: a triple cannot span lines.
        @inline(__always)
        private mutating func skipSpaces() {
            while let b = lexer.byte(at: lexer.index), b == 0x20 || b == 0x09 { lexer.index += 1 }
        }

        private mutating func iri() throws -> IRI {
            let start = lexer.index
            guard case .iriRef(let range, let escaped) = try lexer.lexIRIRef() else {
                throw lexer.error("expected an IRI", at: start)
            }
            let bytes = lexer.bytes
            let slot = cache.slot(bytes, range)
            if let cached = cache.lookup(bytes, range, slot: slot) { return cached }
            let value = lexer.iriText(range, escaped: escaped)
            guard IRIResolver.hasScheme(value) else {
                throw lexer.error("relative IRI `\(value)` is not allowed in N-Triples", at: start)
            }
            let iri = IRI(value)
            cache.store(iri, for: bytes, range, slot: slot)
            return iri
        }

        private mutating func blankNode() throws -> BlankNode {
            blankNodes.labelled(lexer.text(try lexer.lexBlankNodeLabel()))
        }

        private mutating func literal() throws -> Literal {
            let value = try lexer.lexShortString(quote: UInt8(ascii: "\""))
            skipSpaces()
            switch lexer.byte(at: lexer.index) {
            case UInt8(ascii: "@"):
                return Literal(value, language: lexer.text(try lexer.lexAtWord()))
            case UInt8(ascii: "^"):
                guard lexer.byte(at: lexer.index + 1) == UInt8(ascii: "^") else {
                    throw error("expected `^^`, found \(found)")
                }
                lexer.index += 2
                skipSpaces()
                guard lexer.byte(at: lexer.index) == UInt8(ascii: "<") else {
                    throw error("expected a datatype IRI after `^^`, found \(found)")
                }
                return Literal(value, datatype: try iri())
            default:
                return Literal(value)
            }
        }
    }
}
