/// Splits Turtle (and, with a different error code, N-Triples) UTF-8 input into tokens.
///
/// The lexer validates each token completely (escapes, character classes, UTF-8) as it scans, so
/// that the decoding helpers the parser calls later cannot fail. Positions are byte offsets;
/// line and column are worked out only when an error is reported.
struct TurtleLexer {
    let bytes: UnsafeBufferPointer<UInt8>
    /// The error code for syntax errors: `.turtleSyntax` or `.ntriplesSyntax`.
    let code: OntologyError.Code
    /// The offset of the next byte to read.
    var index = 0
    /// The offset where the last token returned by ``next()`` starts.
    private(set) var tokenStart = 0
    /// Reused for strings that hold escapes.
    private var scratch: [UInt8] = []

    init(bytes: UnsafeBufferPointer<UInt8>, code: OntologyError.Code) {
        self.bytes = bytes
        self.code = code
        // Editors on some systems start UTF-8 files with a byte order mark; it carries no meaning.
        if TurtleCharacters.hasByteOrderMark(bytes) { index = 3 }
    }

    // MARK: Errors

    func error(_ message: String, at offset: Int) -> OntologyError {
        OntologyError(code, message, at: TurtleCharacters.position(of: offset, in: bytes))
    }

    /// The input at `offset`, quoted for a message.
    func excerpt(at offset: Int, limit: Int? = nil) -> String {
        TurtleCharacters.excerpt(at: offset, in: bytes, limit: limit)
    }

    @inline(__always)
    func byte(at offset: Int) -> UInt8? {
        offset < bytes.count ? bytes[offset] : nil
    }

    // MARK: Tokens

    /// Skips white space and comments, then reads one token.
    mutating func next() throws -> TurtleToken {
        skipWhitespaceAndComments()
        tokenStart = index
        guard index < bytes.count else { return .end }
        let b = bytes[index]
        switch b {
        case UInt8(ascii: "<"):
            return try lexIRIRef()
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
            return .string(try lexString())
        case UInt8(ascii: "_"):
            return .blankNodeLabel(try lexBlankNodeLabel())
        case UInt8(ascii: "@"):
            return .atWord(try lexAtWord())
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"):
            return try lexNumber()
        case UInt8(ascii: "."):
            if let after = byte(at: index + 1), TurtleCharacters.isDigit(after) { return try lexNumber() }
            index += 1
            return .dot
        case UInt8(ascii: ";"): index += 1; return .semicolon
        case UInt8(ascii: ","): index += 1; return .comma
        case UInt8(ascii: "["): index += 1; return .openBracket
        case UInt8(ascii: "]"): index += 1; return .closeBracket
        case UInt8(ascii: "("): index += 1; return .openParen
        case UInt8(ascii: ")"): index += 1; return .closeParen
        case UInt8(ascii: "^"):
            guard byte(at: index + 1) == UInt8(ascii: "^") else {
                throw error("expected `^^`, found \(excerpt(at: index))", at: index)
            }
            index += 2
            return .datatypeMarker
        default:
            return try lexName()
        }
    }

    mutating func skipWhitespaceAndComments() {
        let end = bytes.count
        while index < end {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D:
                index += 1
            case UInt8(ascii: "#"):
                skipComment()
            default:
                return
            }
        }
    }

    /// Skips from `#` to the end of the line (the line break itself is left).
    mutating func skipComment() {
        let end = bytes.count
        while index < end && bytes[index] != 0x0A && bytes[index] != 0x0D { index += 1 }
    }

    // MARK: IRIs

    /// `IRIREF`, with `index` at the `<`.
    mutating func lexIRIRef() throws -> TurtleToken {
        index += 1
        let start = index
        var escaped = false
        let end = bytes.count
        while index < end {
            let b = bytes[index]
            if b == UInt8(ascii: ">") {
                index += 1
                return .iriRef(start..<(index - 1), escaped: escaped)
            }
            if b >= 0x80 {
                index += try scalarLength(at: index)
            } else if b == UInt8(ascii: "\\") {
                guard let next = byte(at: index + 1), next == UInt8(ascii: "u") || next == UInt8(ascii: "U") else {
                    throw error("invalid escape \(excerpt(at: index, limit: 2)) in IRI (only `\\u` and `\\U` are allowed)", at: index)
                }
                let (scalar, length) = try unicodeEscape(at: index)
                if scalar < 0x80 && TurtleCharacters.isForbiddenInIRI(UInt8(scalar)) {
                    throw error("escape \(excerpt(at: index, limit: length)) stands for a character IRIs cannot contain", at: index)
                }
                index += length
                escaped = true
            } else if TurtleCharacters.isForbiddenInIRI(b) {
                if b == 0x0A || b == 0x0D || b == UInt8(ascii: "<") {
                    throw error("unterminated IRI, missing `>`", at: start - 1)
                }
                throw error("invalid character \(excerpt(at: index, limit: 1)) in IRI", at: index)
            } else {
                index += 1
            }
        }
        throw error("unterminated IRI, missing `>`", at: start - 1)
    }

    /// The text of an IRI token, with its `\u` and `\U` escapes decoded.
    func iriText(_ range: Range<Int>, escaped: Bool) -> String {
        guard escaped else { return text(range) }
        var out: [UInt8] = []
        out.reserveCapacity(range.count)
        var i = range.lowerBound
        while i < range.upperBound {
            if bytes[i] == UInt8(ascii: "\\"), let (scalar, length) = try? unicodeEscape(at: i) {
                TurtleCharacters.appendUTF8(scalar, to: &out)
                i += length
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The input bytes of `range` as a string.
    @inline(__always)
    func text(_ range: Range<Int>) -> String {
        let lower = max(0, min(range.lowerBound, bytes.count))
        let upper = max(lower, min(range.upperBound, bytes.count))
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[lower..<upper]), as: UTF8.self)
    }

    /// Whether the input bytes of `range` equal `word`, ignoring ASCII case when asked.
    func matches(_ range: Range<Int>, _ word: StaticString, ignoringCase: Bool = false) -> Bool {
        guard range.count == word.utf8CodeUnitCount, range.upperBound <= bytes.count else { return false }
        let pointer = word.utf8Start
        for k in 0..<range.count {
            var a = bytes[range.lowerBound + k]
            var b = pointer[k]
            if ignoringCase { a |= 0x20; b |= 0x20 }
            if a != b { return false }
        }
        return true
    }

    // MARK: Escapes and UTF-8

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

    /// The length of the valid UTF-8 sequence at `offset`, or an error.
    @inline(__always)
    func scalarLength(at offset: Int) throws -> Int {
        guard let (_, length) = TurtleCharacters.decodeScalar(bytes, at: offset) else {
            throw error("invalid UTF-8", at: offset)
        }
        return length
    }

    // MARK: Strings

    /// A string literal in any of the four Turtle forms, with `index` at the opening quote.
    mutating func lexString() throws -> String {
        let quote = bytes[index]
        if byte(at: index + 1) == quote && byte(at: index + 2) == quote {
            return try lexLongString(quote: quote)
        }
        return try lexShortString(quote: quote)
    }

    /// `STRING_LITERAL_QUOTE` or `STRING_LITERAL_SINGLE_QUOTE`.
    mutating func lexShortString(quote: UInt8) throws -> String {
        let open = index
        index += 1
        var runStart = index
        var escaped = false
        scratch.removeAll(keepingCapacity: true)
        let end = bytes.count
        while index < end {
            let b = bytes[index]
            if b == quote {
                let value = finishString(runStart: runStart, escaped: escaped)
                index += 1
                return value
            }
            switch b {
            case UInt8(ascii: "\\"):
                appendRun(from: runStart)
                try appendEscape()
                escaped = true
                runStart = index
            case 0x0A, 0x0D:
                throw error("unterminated string (a line break inside a string must be written `\\n`)", at: open)
            case 0x80...:
                index += try scalarLength(at: index)
            default:
                index += 1
            }
        }
        throw error("unterminated string", at: open)
    }

    /// `STRING_LITERAL_LONG_QUOTE` or `STRING_LITERAL_LONG_SINGLE_QUOTE`.
    mutating func lexLongString(quote: UInt8) throws -> String {
        let open = index
        index += 3
        var runStart = index
        var escaped = false
        scratch.removeAll(keepingCapacity: true)
        let end = bytes.count
        while index < end {
            let b = bytes[index]
            if b == quote && byte(at: index + 1) == quote && byte(at: index + 2) == quote {
                let value = finishString(runStart: runStart, escaped: escaped)
                index += 3
                return value
            }
            if b == UInt8(ascii: "\\") {
                appendRun(from: runStart)
                try appendEscape()
                escaped = true
                runStart = index
            } else if b >= 0x80 {
                index += try scalarLength(at: index)
            } else {
                index += 1
            }
        }
        throw error("unterminated long string", at: open)
    }

    @inline(__always)
    private mutating func appendRun(from start: Int) {
        if start < index {
            scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
        }
    }

    private mutating func finishString(runStart: Int, escaped: Bool) -> String {
        guard escaped else { return text(runStart..<index) }
        appendRun(from: runStart)
        return String(decoding: scratch, as: UTF8.self)
    }

    /// Decodes `ECHAR` or `UCHAR` at `index` into `scratch` and moves past it.
    private mutating func appendEscape() throws {
        if let value = TurtleCharacters.escapedCharacter(byte(at: index + 1)) {
            scratch.append(value)
            index += 2
            return
        }
        guard byte(at: index + 1) == UInt8(ascii: "u") || byte(at: index + 1) == UInt8(ascii: "U") else {
            throw error("invalid escape \(excerpt(at: index, limit: 2)) in string", at: index)
        }
        let (scalar, length) = try unicodeEscape(at: index)
        TurtleCharacters.appendUTF8(scalar, to: &scratch)
        index += length
    }

    // MARK: Language tags, blank nodes, numbers

    /// `@` followed by `[a-zA-Z]+ ('-' [a-zA-Z0-9]+)*`; returns the range after the `@`.
    mutating func lexAtWord() throws -> Range<Int> {
        let at = index
        index += 1
        let start = index
        while let b = byte(at: index), TurtleCharacters.isLetter(b) { index += 1 }
        guard index > start else {
            throw error("expected a language tag or keyword after `@`, found \(excerpt(at: index))", at: at)
        }
        while byte(at: index) == UInt8(ascii: "-") {
            var k = index + 1
            while let b = byte(at: k), TurtleCharacters.isLetter(b) || TurtleCharacters.isDigit(b) { k += 1 }
            guard k > index + 1 else {
                throw error("invalid language tag \(excerpt(at: at))", at: at)
            }
            index = k
        }
        return start..<index
    }

    /// `BLANK_NODE_LABEL`; returns the range of the label after `_:`.
    mutating func lexBlankNodeLabel() throws -> Range<Int> {
        let underscore = index
        guard byte(at: index + 1) == UInt8(ascii: ":") else {
            throw error("expected `_:` to start a blank node label, found \(excerpt(at: index))", at: index)
        }
        index += 2
        let start = index
        guard let (first, firstLength) = TurtleCharacters.decodeScalar(bytes, at: index),
              TurtleCharacters.isNameStartOrUnderscore(first) || (first >= 0x30 && first <= 0x39) else {
            throw error("invalid blank node label \(excerpt(at: underscore))", at: underscore)
        }
        // A label cannot end with `.`: the dot ends the statement instead.
        index = TurtleCharacters.nameEnd(in: bytes, from: index + firstLength).lastNonDot
        return start..<index
    }

    /// `INTEGER`, `DECIMAL` or `DOUBLE`.
    mutating func lexNumber() throws -> TurtleToken {
        let start = index
        guard let (kind, end) = TurtleCharacters.scanNumber(in: bytes, at: start) else {
            throw error("invalid number \(excerpt(at: start))", at: start)
        }
        index = end
        switch kind {
        case .integer: return .integer(start..<end)
        case .decimal: return .decimal(start..<end)
        case .double: return .double(start..<end)
        }
    }
}
