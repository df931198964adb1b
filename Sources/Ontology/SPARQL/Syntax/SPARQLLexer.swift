/// Splits a SPARQL query or update (UTF-8) into tokens.
///
/// The lexer follows the terminals of SPARQL 1.1 §19.8 with longest match, which settles the
/// grammar's lexical ambiguities the way the specification does: `<` starts an IRI when an
/// IRI can be read from it (so `?a<?b&&?c>?d` holds the IRI `<?b&&?c>`), and a sign directly
/// before a digit belongs to the number (`1-2` is `1` and `-2`; the parser turns the second
/// into a subtraction). Codepoint escapes (`\u`, `\U`) are decoded only inside IRIs and
/// strings, in one pass, so an escape can never produce another escape.
struct SPARQLLexer {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    /// Reused for strings that hold escapes.
    var scratch: [UInt8] = []

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        if TurtleCharacters.hasByteOrderMark(bytes) { index = 3 }
    }

    /// All tokens of the input, ending with ``SPARQLToken/end``.
    static func tokenize(_ bytes: UnsafeBufferPointer<UInt8>) throws -> [LocatedToken] {
        var lexer = SPARQLLexer(bytes: bytes)
        var tokens: [LocatedToken] = []
        while true {
            lexer.skipWhitespaceAndComments()
            let start = lexer.index
            guard start < bytes.count else {
                tokens.append(LocatedToken(token: .end, start: start, end: start))
                return tokens
            }
            let token = try lexer.next()
            tokens.append(LocatedToken(token: token, start: start, end: lexer.index))
        }
    }

    // MARK: Errors and access

    func error(_ message: String, at offset: Int) -> OntologyError {
        OntologyError(.sparqlSyntax, message, at: TurtleCharacters.position(of: offset, in: bytes))
    }

    func excerpt(at offset: Int, limit: Int? = nil) -> String {
        TurtleCharacters.excerpt(at: offset, in: bytes, limit: limit)
    }

    @inline(__always)
    func byte(at offset: Int) -> UInt8? {
        offset >= 0 && offset < bytes.count ? bytes[offset] : nil
    }

    func text(_ range: Range<Int>) -> String {
        let lower = max(0, min(range.lowerBound, bytes.count))
        let upper = max(lower, min(range.upperBound, bytes.count))
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[lower..<upper]), as: UTF8.self)
    }

    mutating func skipWhitespaceAndComments() {
        while let b = byte(at: index) {
            switch b {
            case 0x20, 0x09, 0x0A, 0x0D:
                index += 1
            case UInt8(ascii: "#"):
                while let c = byte(at: index), c != 0x0A && c != 0x0D { index += 1 }
            default:
                return
            }
        }
    }

    // MARK: Tokens

    /// Reads the token at `index`, which holds no white space.
    mutating func next() throws -> SPARQLToken {
        guard let b = byte(at: index) else { return .end }
        switch b {
        case UInt8(ascii: "<"):
            if let iri = try lexIRIRef() { return .iri(iri) }
            return symbol(byte(at: index + 1) == UInt8(ascii: "=") ? .lessOrEqual : .less)
        case UInt8(ascii: ">"):
            return symbol(byte(at: index + 1) == UInt8(ascii: "=") ? .greaterOrEqual : .greater)
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
            return .string(try lexString())
        case UInt8(ascii: "_"):
            return .blankNodeLabel(try lexBlankNodeLabel())
        case UInt8(ascii: "?"), UInt8(ascii: "$"):
            if let name = lexVariable() { return .variable(name) }
            guard b == UInt8(ascii: "?") else {
                throw error("expected a variable name after `$`", at: index)
            }
            return symbol(.question)
        case UInt8(ascii: "@"):
            return .languageTag(try lexLanguageTag())
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try lexNumber()
        case UInt8(ascii: "."):
            if let after = byte(at: index + 1), TurtleCharacters.isDigit(after) { return try lexNumber() }
            return symbol(.dot)
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            if startsNumber(at: index + 1) { return try lexNumber() }
            return symbol(b == UInt8(ascii: "+") ? .plus : .minus)
        case UInt8(ascii: "("):
            return symbol(closes(at: index + 1, with: UInt8(ascii: ")")) ? .nilList : .openParen)
        case UInt8(ascii: "["):
            return symbol(closes(at: index + 1, with: UInt8(ascii: "]")) ? .anon : .openBracket)
        case UInt8(ascii: "{"): return symbol(.openBrace)
        case UInt8(ascii: "}"): return symbol(.closeBrace)
        case UInt8(ascii: ")"): return symbol(.closeParen)
        case UInt8(ascii: "]"): return symbol(.closeBracket)
        case UInt8(ascii: ","): return symbol(.comma)
        case UInt8(ascii: ";"): return symbol(.semicolon)
        case UInt8(ascii: "*"): return symbol(.star)
        case UInt8(ascii: "/"): return symbol(.slash)
        case UInt8(ascii: "="): return symbol(.equal)
        case UInt8(ascii: "!"):
            return symbol(byte(at: index + 1) == UInt8(ascii: "=") ? .notEqual : .bang)
        case UInt8(ascii: "^"):
            return symbol(byte(at: index + 1) == UInt8(ascii: "^") ? .datatype : .caret)
        case UInt8(ascii: "|"):
            return symbol(byte(at: index + 1) == UInt8(ascii: "|") ? .or : .pipe)
        case UInt8(ascii: "&"):
            guard byte(at: index + 1) == UInt8(ascii: "&") else {
                throw error("expected `&&`, found \(excerpt(at: index, limit: 1))", at: index)
            }
            return symbol(.and)
        default:
            return try lexName()
        }
    }

    /// Moves past a symbol's text and returns it.
    private mutating func symbol(_ symbol: SPARQLToken.Symbol) -> SPARQLToken {
        switch symbol {
        case .nilList, .anon:
            index += 1
            skipWhitespace()
            index += 1
        default:
            index += symbol.rawValue.utf8.count
        }
        return .symbol(symbol)
    }

    private mutating func skipWhitespace() {
        while let b = byte(at: index), b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D { index += 1 }
    }

    /// Whether only white space separates `offset` from `closer` (for `NIL` and `ANON`).
    private func closes(at offset: Int, with closer: UInt8) -> Bool {
        var k = offset
        while let b = byte(at: k) {
            if b == closer { return true }
            guard b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D else { return false }
            k += 1
        }
        return false
    }

    private func startsNumber(at offset: Int) -> Bool {
        guard let b = byte(at: offset) else { return false }
        if TurtleCharacters.isDigit(b) { return true }
        if b == UInt8(ascii: "."), let after = byte(at: offset + 1) { return TurtleCharacters.isDigit(after) }
        return false
    }

    // MARK: IRIs

    /// `IRIREF` at `index` (which holds `<`), or nil when no IRI can be read there, in which
    /// case `<` is an operator.
    mutating func lexIRIRef() throws -> String? {
        var k = index + 1
        var escaped = false
        while let b = byte(at: k) {
            if b == UInt8(ascii: ">") {
                let value = escaped ? try decodeIRIEscapes(index + 1..<k) : text(index + 1..<k)
                index = k + 1
                return value
            }
            if b >= 0x80 {
                guard let (_, length) = TurtleCharacters.decodeScalar(bytes, at: k) else {
                    throw error("invalid UTF-8", at: k)
                }
                k += length
            } else if b == UInt8(ascii: "\\") {
                guard let next = byte(at: k + 1), next == UInt8(ascii: "u") || next == UInt8(ascii: "U") else {
                    return nil
                }
                let (scalar, length) = try unicodeEscape(at: k)
                if scalar < 0x80 && TurtleCharacters.isForbiddenInIRI(UInt8(scalar)) {
                    throw error("escape \(excerpt(at: k, limit: length)) stands for a character IRIs cannot contain", at: k)
                }
                escaped = true
                k += length
            } else if TurtleCharacters.isForbiddenInIRI(b) {
                return nil
            } else {
                k += 1
            }
        }
        return nil
    }

    private func decodeIRIEscapes(_ range: Range<Int>) throws -> String {
        var out: [UInt8] = []
        var k = range.lowerBound
        while k < range.upperBound, let b = byte(at: k) {
            if b == UInt8(ascii: "\\") {
                let (scalar, length) = try unicodeEscape(at: k)
                TurtleCharacters.appendUTF8(scalar, to: &out)
                k += length
            } else {
                out.append(b)
                k += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes `\uXXXX` or `\UXXXXXXXX` at `offset` (which holds the backslash).
    func unicodeEscape(at offset: Int) throws -> (scalar: UInt32, length: Int) {
        switch TurtleCharacters.unicodeEscape(in: bytes, at: offset) {
        case .success(let decoded):
            return decoded
        case .failure(.notAnEscape):
            throw error("invalid escape \(excerpt(at: offset, limit: 2))", at: offset)
        case .failure(.missingDigits(let digits)):
            throw error("invalid escape \(excerpt(at: offset, limit: 2 + digits)), expected \(digits) hexadecimal digits", at: offset)
        case .failure(.notACodePoint(let digits)):
            throw error("escape \(excerpt(at: offset, limit: 2 + digits)) is not a valid Unicode code point", at: offset)
        }
    }
}
