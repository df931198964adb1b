import Foundation

/// Splits policy text into tokens, tracking line and column for every one.
struct PolicyLexer {
    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    private var lineStart = 0

    init(_ text: String) {
        bytes = Array(text.utf8)
    }

    /// The text between two offsets, for quoting a condition in an explanation.
    func text(from start: Int, to end: Int) -> String {
        String(decoding: bytes[max(0, start)..<min(end, bytes.count)], as: UTF8.self)
    }

    mutating func tokenize() throws(PolicyError) -> [PolicyToken] {
        var tokens: [PolicyToken] = []
        while true {
            let token = try next()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    private var location: SourceLocation { SourceLocation(line: line, column: index - lineStart + 1) }

    private func peek(_ ahead: Int = 0) -> UInt8? {
        index + ahead < bytes.count ? bytes[index + ahead] : nil
    }

    private mutating func skipSpaceAndComments() {
        while let byte = peek() {
            if byte == UInt8(ascii: "\n") {
                index += 1
                line += 1
                lineStart = index
            } else if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") {
                index += 1
            } else if byte == UInt8(ascii: "#") || (byte == UInt8(ascii: "/") && peek(1) == UInt8(ascii: "/")) {
                while let next = peek(), next != UInt8(ascii: "\n") { index += 1 }
            } else {
                return
            }
        }
    }

    private mutating func next() throws(PolicyError) -> PolicyToken {
        skipSpaceAndComments()
        let start = location
        let startOffset = index
        func token(_ kind: PolicyToken.Kind) -> PolicyToken {
            PolicyToken(kind: kind, location: start, offset: startOffset, endOffset: index)
        }
        guard let byte = peek() else { return token(.end) }

        if isNameStart(byte) {
            while let next = peek(), isNameChar(next) { index += 1 }
            // A trailing '-' belongs to no name (`Mon-` is an error later, not part of the name).
            while index > startOffset + 1, bytes[index - 1] == UInt8(ascii: "-") { index -= 1 }
            let name = text(from: startOffset, to: index)
            if peek() == UInt8(ascii: ":"), let after = peek(1), isNameStart(after) || isDigit(after) {
                index += 1
                let localStart = index
                while let next = peek(), isNameChar(next) || next == UInt8(ascii: ".") { index += 1 }
                while index > localStart, bytes[index - 1] == UInt8(ascii: ".") { index -= 1 }
                return token(.prefixedName(prefix: name, local: text(from: localStart, to: index)))
            }
            return token(.identifier(name))
        }
        // '-' is always a symbol (`08:00-18:00`, `Mon-Fri`); the parser reads negative numbers.
        if isDigit(byte) {
            return try number(start: start, startOffset: startOffset)
        }
        if byte == UInt8(ascii: "\"") {
            return token(.string(try string(start: start)))
        }
        if byte == UInt8(ascii: "<"), let iri = iriReference() {
            return token(.iri(iri))
        }
        let two = peek(1).map { _ in text(from: index, to: index + 2) } ?? ""
        for symbol in ["..", "==", "!=", "<=", ">="] where two == symbol {
            index += 2
            return token(.symbol(symbol))
        }
        if "<>;,:()[]{}./=-*".utf8.contains(byte) {
            index += 1
            return token(.symbol(String(UnicodeScalar(byte))))
        }
        throw .syntax("unexpected character '\(String(decoding: [byte], as: UTF8.self))'", at: start)
    }

    /// `<scheme:...>` with no spaces; otherwise the `<` is an operator.
    private mutating func iriReference() -> String? {
        var end = index + 1
        var sawColon = false
        while end < bytes.count {
            let byte = bytes[end]
            if byte == UInt8(ascii: ">") {
                guard sawColon, end > index + 1 else { return nil }
                let iri = text(from: index + 1, to: end)
                index = end + 1
                return iri
            }
            if byte <= 0x20 || byte == UInt8(ascii: "<") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: ";") { return nil }
            if byte == UInt8(ascii: ":") { sawColon = true }
            end += 1
        }
        return nil
    }

    private mutating func string(start: SourceLocation) throws(PolicyError) -> String {
        index += 1
        var result: [UInt8] = []
        while let byte = peek() {
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: result, as: UTF8.self)
            case UInt8(ascii: "\n"):
                throw .syntax("unterminated string", at: start)
            case UInt8(ascii: "\\"):
                guard let escaped = peek() else { throw .syntax("unterminated string", at: start) }
                index += 1
                switch escaped {
                case UInt8(ascii: "n"): result.append(UInt8(ascii: "\n"))
                case UInt8(ascii: "t"): result.append(UInt8(ascii: "\t"))
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): result.append(escaped)
                default: throw .syntax("unknown escape '\\\(String(UnicodeScalar(escaped)))' in string", at: location)
                }
            default:
                result.append(byte)
            }
        }
        throw .syntax("unterminated string", at: start)
    }

    private mutating func number(start: SourceLocation, startOffset: Int) throws(PolicyError) -> PolicyToken {
        func token(_ kind: PolicyToken.Kind) -> PolicyToken {
            PolicyToken(kind: kind, location: start, offset: startOffset, endOffset: index)
        }
        // An instant: 2026-11-23T08:00:00Z (or with an offset / fraction).
        if bytes.count - index >= 11, bytes[index + 4] == UInt8(ascii: "-"), bytes[index + 7] == UInt8(ascii: "-"),
           bytes[index + 10] == UInt8(ascii: "T") || bytes[index + 10] == UInt8(ascii: "t") {
            while let next = peek(), isDigit(next) || "-:+.TtZz".utf8.contains(next) { index += 1 }
            let text = text(from: startOffset, to: index)
            guard let seconds = Instant.parse(text) else { throw .syntax("'\(text)' is not an RFC 3339 instant", at: start) }
            return token(.instant(seconds))
        }
        // A clock time: 08:00.
        if bytes.count - index >= 5, isDigit(bytes[index]), isDigit(bytes[index + 1]), bytes[index + 2] == UInt8(ascii: ":"),
           isDigit(bytes[index + 3]), isDigit(bytes[index + 4]), !(peek(5).map(isDigit) ?? false) {
            let hours = Int(bytes[index] - 48) * 10 + Int(bytes[index + 1] - 48)
            let minutes = Int(bytes[index + 3] - 48) * 10 + Int(bytes[index + 4] - 48)
            index += 5
            guard hours <= 24, minutes < 60, hours * 60 + minutes <= 1440 else { throw .syntax("'\(text(from: startOffset, to: index))' is not a time of day", at: start) }
            return token(.clock(hours * 60 + minutes))
        }
        while let next = peek(), isDigit(next) { index += 1 }
        var isDecimal = false
        if peek() == UInt8(ascii: "."), let after = peek(1), isDigit(after) {
            isDecimal = true
            index += 1
            while let next = peek(), isDigit(next) { index += 1 }
        }
        let text = text(from: startOffset, to: index)
        if isDecimal {
            guard let value = Double(text) else { throw .syntax("'\(text)' is not a number", at: start) }
            return token(.decimal(value))
        }
        guard let value = Int(text) else { throw .syntax("'\(text)' is too large", at: start) }
        return token(.integer(value))
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }

    private func isNameStart(_ byte: UInt8) -> Bool {
        (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || byte == UInt8(ascii: "_")
    }

    private func isNameChar(_ byte: UInt8) -> Bool {
        isNameStart(byte) || isDigit(byte) || byte == UInt8(ascii: "-")
    }
}
