/// The character classes of the Turtle and N-Triples grammars (RDF 1.1 Turtle §6.5), on code
/// points and UTF-8 bytes, shared by the parsers and the Turtle writer.
enum TurtleCharacters {
    /// `PN_CHARS_BASE`.
    @inline(__always)
    static func isNameStart(_ c: UInt32) -> Bool {
        if c < 0x80 {
            return (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
        }
        switch c {
        case 0xC0...0xD6, 0xD8...0xF6, 0xF8...0x2FF, 0x370...0x37D, 0x37F...0x1FFF, 0x200C...0x200D,
            0x2070...0x218F, 0x2C00...0x2FEF, 0x3001...0xD7FF, 0xF900...0xFDCF, 0xFDF0...0xFFFD,
            0x10000...0xEFFFF:
            return true
        default:
            return false
        }
    }

    /// `PN_CHARS_U`: `PN_CHARS_BASE` or `_`.
    @inline(__always)
    static func isNameStartOrUnderscore(_ c: UInt32) -> Bool {
        c == 0x5F || isNameStart(c)
    }

    /// `PN_CHARS`.
    @inline(__always)
    static func isNameChar(_ c: UInt32) -> Bool {
        if c < 0x80 {
            return (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39)
                || c == 0x5F || c == 0x2D
        }
        switch c {
        case 0xB7, 0x300...0x36F, 0x203F...0x2040: return true
        default: return isNameStart(c)
        }
    }

    /// The characters that `PN_LOCAL_ESC` may escape with a backslash.
    @inline(__always)
    static func isLocalEscapable(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "!"),
            UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"),
            UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "="),
            UInt8(ascii: "/"), UInt8(ascii: "?"), UInt8(ascii: "#"), UInt8(ascii: "@"), UInt8(ascii: "%"):
            return true
        default:
            return false
        }
    }

    @inline(__always)
    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    @inline(__always)
    static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }

    /// The byte an `ECHAR` letter stands for (`t` for `\t`…), or nil when it is none.
    static func escapedCharacter(_ letter: UInt8?) -> UInt8? {
        switch letter {
        case UInt8(ascii: "t"): return 0x09
        case UInt8(ascii: "b"): return 0x08
        case UInt8(ascii: "n"): return 0x0A
        case UInt8(ascii: "r"): return 0x0D
        case UInt8(ascii: "f"): return 0x0C
        case UInt8(ascii: "\""): return 0x22
        case UInt8(ascii: "'"): return 0x27
        case UInt8(ascii: "\\"): return 0x5C
        default: return nil
        }
    }

    /// What is wrong with a `UCHAR`.
    enum UnicodeEscapeProblem: Error {
        case notAnEscape
        case missingDigits(Int)
        case notACodePoint(digits: Int)
    }

    /// Decodes `\uXXXX` or `\UXXXXXXXX` at `offset` (which holds the backslash): the scalar and
    /// the escape's length. Shared by the Turtle, N-Triples and SPARQL lexers, which word the error.
    static func unicodeEscape(in bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> Result<(scalar: UInt32, length: Int), UnicodeEscapeProblem> {
        let digits: Int
        switch offset + 1 < bytes.count ? bytes[offset + 1] : 0 {
        case UInt8(ascii: "u"): digits = 4
        case UInt8(ascii: "U"): digits = 8
        default: return .failure(.notAnEscape)
        }
        var value: UInt32 = 0
        for k in 0..<digits {
            let position = offset + 2 + k
            guard position < bytes.count, let digit = hexValue(bytes[position]) else { return .failure(.missingDigits(digits)) }
            value = value << 4 | digit
        }
        guard value <= 0x10FFFF, !(0xD800...0xDFFF).contains(value) else { return .failure(.notACodePoint(digits: digits)) }
        return .success((value, 2 + digits))
    }

    /// The kind of a numeric literal of Turtle and SPARQL.
    enum NumberKind { case integer, decimal, double }

    /// Scans `INTEGER`, `DECIMAL` or `DOUBLE` (with an optional sign) at `start`: the kind and
    /// the offset after it, or nil when there is no number there. Shared by the Turtle and SPARQL
    /// lexers, whose number grammars are the same.
    static func scanNumber(in bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> (kind: NumberKind, end: Int)? {
        func byte(_ offset: Int) -> UInt8? { offset < bytes.count ? bytes[offset] : nil }
        func skipDigits(_ offset: Int) -> Int {
            var k = offset
            while let b = byte(k), isDigit(b) { k += 1 }
            return k
        }
        /// The length of `[eE] [+-]? [0-9]+` at `offset`, or 0.
        func exponentLength(_ offset: Int) -> Int {
            guard let e = byte(offset), e | 0x20 == UInt8(ascii: "e") else { return 0 }
            var k = offset + 1
            if let sign = byte(k), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { k += 1 }
            let end = skipDigits(k)
            return end > k ? end - offset : 0
        }
        var index = start
        if let sign = byte(index), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { index += 1 }
        let integerStart = index
        index = skipDigits(index)
        let integerDigits = index - integerStart
        var kind = NumberKind.integer
        if byte(index) == UInt8(ascii: "."), let after = byte(index + 1), isDigit(after) {
            index = skipDigits(index + 1)
            kind = .decimal
        } else if integerDigits > 0, byte(index) == UInt8(ascii: "."), exponentLength(index + 1) > 0 {
            index += 1  // `1.e5` is a double
        } else if integerDigits == 0 {
            return nil
        }
        let exponent = exponentLength(index)
        if exponent > 0 { return (.double, index + exponent) }
        return (kind, index)
    }

    /// Scans `PN_CHARS` and dots from `start`, as prefix names and blank node labels allow:
    /// `end` is after the run, `lastNonDot` after its last character that is not a dot (a name
    /// cannot end with `.`, which ends the statement instead).
    static func nameEnd(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> (end: Int, lastNonDot: Int) {
        var k = start
        var lastNonDot = start
        while let (c, length) = decodeScalar(bytes, at: k) {
            if c == 0x2E {
                k += 1
            } else if isNameChar(c) {
                k += length
                lastNonDot = k
            } else {
                break
            }
        }
        return (k, lastNonDot)
    }

    /// The value of a hexadecimal digit, or nil.
    @inline(__always)
    static func hexValue(_ b: UInt8) -> UInt32? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(b - 0x30)
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(b - 0x61 + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(b - 0x41 + 10)
        default: return nil
        }
    }

    /// Bytes that may not appear unescaped inside `<...>` (`[^#x00-#x20<>"{}|^`\]`).
    @inline(__always)
    static func isForbiddenInIRI(_ b: UInt8) -> Bool {
        switch b {
        case 0...0x20, UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""), UInt8(ascii: "{"),
            UInt8(ascii: "}"), UInt8(ascii: "|"), UInt8(ascii: "^"), UInt8(ascii: "`"), UInt8(ascii: "\\"):
            return true
        default:
            return false
        }
    }

    /// Decodes the UTF-8 sequence that starts at `index`, rejecting overlong forms, surrogates
    /// and truncated sequences. Returns the code point and the sequence length, or nil.
    @inline(__always)
    static func decodeScalar(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (UInt32, Int)? {
        let end = bytes.count
        guard index < end else { return nil }
        let b0 = bytes[index]
        if b0 < 0x80 { return (UInt32(b0), 1) }
        return decodeMultibyte(bytes, at: index, end: end, lead: b0)
    }

    private static func decodeMultibyte(
        _ bytes: UnsafeBufferPointer<UInt8>, at index: Int, end: Int, lead b0: UInt8
    ) -> (UInt32, Int)? {
        let length: Int
        var value: UInt32
        let minimum: UInt32
        switch b0 {
        case 0xC2...0xDF: length = 2; value = UInt32(b0 & 0x1F); minimum = 0x80
        case 0xE0...0xEF: length = 3; value = UInt32(b0 & 0x0F); minimum = 0x800
        case 0xF0...0xF4: length = 4; value = UInt32(b0 & 0x07); minimum = 0x10000
        default: return nil
        }
        guard index + length <= end else { return nil }
        for k in 1..<length {
            let b = bytes[index + k]
            guard b & 0xC0 == 0x80 else { return nil }
            value = value << 6 | UInt32(b & 0x3F)
        }
        guard value >= minimum, value <= 0x10FFFF, !(0xD800...0xDFFF).contains(value) else { return nil }
        return (value, length)
    }

    /// Appends the UTF-8 encoding of a code point the caller has checked to be a scalar value.
    @inline(__always)
    static func appendUTF8(_ c: UInt32, to out: inout [UInt8]) {
        switch c {
        case 0..<0x80:
            out.append(UInt8(c))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | (c >> 6)))
            out.append(UInt8(0x80 | (c & 0x3F)))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | (c >> 12)))
            out.append(UInt8(0x80 | ((c >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (c & 0x3F)))
        default:
            out.append(UInt8(0xF0 | (c >> 18)))
            out.append(UInt8(0x80 | ((c >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((c >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (c & 0x3F)))
        }
    }

    /// Whether the input starts with the UTF-8 byte order mark.
    static func hasByteOrderMark(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
    }

    /// The 1-based line and column (in characters) of a byte offset. Computed only when an error
    /// is reported, so that the lexers need not count lines while scanning.
    static func position(of offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> TextPosition {
        var line = 1
        var column = 1
        var i = hasByteOrderMark(bytes) ? 3 : 0
        let stop = min(offset, bytes.count)
        while i < stop {
            let b = bytes[i]
            if b == 0x0A {
                line += 1
                column = 1
            } else if b == 0x0D {
                if i + 1 < bytes.count && bytes[i + 1] == 0x0A {
                    // \r\n is one line break; the \n that follows counts it.
                } else {
                    line += 1
                    column = 1
                }
            } else if b & 0xC0 != 0x80 {
                column += 1
            }
            i += 1
        }
        return TextPosition(line: line, column: column)
    }

    /// A short, printable excerpt of the input at `offset` (up to `limit` characters, or 16
    /// marked with `…` when cut, stopping at white space), quoted for messages.
    static func excerpt(at offset: Int, in bytes: UnsafeBufferPointer<UInt8>, limit: Int? = nil) -> String {
        guard offset < bytes.count else { return "end of input" }
        // An explicit limit is the exact length of what is shown, so it is not marked as cut.
        let marksTruncation = limit == nil
        let limit = limit ?? 16
        var end = offset
        var characters = 0
        while end < bytes.count && characters < limit {
            let b = bytes[end]
            if b == 0x0A || b == 0x0D || ((b == 0x20 || b == 0x09) && end > offset) { break }
            end += 1
            if end >= bytes.count || bytes[end] & 0xC0 != 0x80 { characters += 1 }
        }
        if end == offset { end = offset + 1 }
        var truncated = false
        if marksTruncation && characters == limit && end < bytes.count {
            let b = bytes[end]
            truncated = !(b == 0x0A || b == 0x0D || b == 0x20 || b == 0x09)
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[offset..<end]), as: UTF8.self)
        if text == " " { return "space" }
        var printable = ""
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F {
                let hex = String(scalar.value, radix: 16, uppercase: true)
                printable += "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            } else {
                printable.unicodeScalars.append(scalar)
            }
        }
        return "`\(printable)\(truncated ? "…" : "")`"
    }
}
