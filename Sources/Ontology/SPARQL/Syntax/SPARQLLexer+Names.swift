extension SPARQLLexer {
    /// A prefixed name (`PNAME_NS`, `PNAME_LN`) or a keyword, with `index` at its first byte.
    mutating func lexName() throws -> SPARQLToken {
        let start = index
        var prefix = ""
        if byte(at: index) != UInt8(ascii: ":") {
            guard let (c, length) = TurtleCharacters.decodeScalar(bytes, at: index) else {
                throw error("invalid UTF-8", at: index)
            }
            guard TurtleCharacters.isNameStart(c) else {
                throw error("unexpected character \(excerpt(at: index, limit: 1))", at: index)
            }
            let lastGood = TurtleCharacters.nameEnd(in: bytes, from: index + length).lastNonDot
            guard byte(at: lastGood) == UInt8(ascii: ":") else { return try lexKeyword() }
            prefix = text(start..<lastGood)
            index = lastGood
        }
        index += 1
        let local = try lexLocalName()
        return .prefixedName(prefix: prefix, local: local)
    }

    /// A keyword: `[a-zA-Z][a-zA-Z0-9_]*`.
    private mutating func lexKeyword() throws -> SPARQLToken {
        let start = index
        while let b = byte(at: index),
              TurtleCharacters.isLetter(b) || TurtleCharacters.isDigit(b) || b == UInt8(ascii: "_") {
            index += 1
        }
        guard index > start else {
            throw error("unexpected character \(excerpt(at: start, limit: 1))", at: start)
        }
        let word = text(start..<index)
        if word == "a" { return .a }
        return .keyword(word.uppercased())
    }

    /// `PN_LOCAL`, possibly empty, with `index` just after the colon; returns it with its
    /// backslash escapes removed (percent escapes stay, as SPARQL requires). A trailing `.`
    /// is left for the grammar.
    private mutating func lexLocalName() throws -> String {
        var out: [UInt8] = []
        var goodIndex = index
        var goodCount = 0
        var first = true
        scan: while let b = byte(at: index) {
            var isDot = false
            switch b {
            case UInt8(ascii: "%"):
                guard let h1 = byte(at: index + 1), TurtleCharacters.hexValue(h1) != nil,
                      let h2 = byte(at: index + 2), TurtleCharacters.hexValue(h2) != nil else {
                    throw error("invalid percent escape \(excerpt(at: index, limit: 3)) in a local name", at: index)
                }
                out.append(contentsOf: [b, h1, h2])
                index += 3
            case UInt8(ascii: "\\"):
                guard let e = byte(at: index + 1), TurtleCharacters.isLocalEscapable(e) else {
                    throw error("invalid escape \(excerpt(at: index, limit: 2)) in a local name", at: index)
                }
                out.append(e)
                index += 2
            case UInt8(ascii: ":"):
                out.append(b)
                index += 1
            case UInt8(ascii: "."):
                if first { break scan }
                out.append(b)
                index += 1
                isDot = true
            default:
                guard let (c, length) = TurtleCharacters.decodeScalar(bytes, at: index) else { break scan }
                let allowed = first
                    ? TurtleCharacters.isNameStartOrUnderscore(c) || (c >= 0x30 && c <= 0x39)
                    : TurtleCharacters.isNameChar(c)
                guard allowed else { break scan }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<(index + length)]))
                index += length
            }
            first = false
            if !isDot {
                goodIndex = index
                goodCount = out.count
            }
        }
        // A local name cannot end with `.`: the dot ends the triple instead.
        index = goodIndex
        return String(decoding: out.prefix(goodCount), as: UTF8.self)
    }

    /// `VAR1` or `VAR2` at `index` (which holds `?` or `$`); nil when no name follows.
    mutating func lexVariable() -> String? {
        let start = index + 1
        var k = start
        while let (c, length) = TurtleCharacters.decodeScalar(bytes, at: k) {
            let allowed = k == start
                ? TurtleCharacters.isNameStartOrUnderscore(c) || (c >= 0x30 && c <= 0x39)
                : TurtleCharacters.isNameChar(c) && c != 0x2D
            guard allowed else { break }
            k += length
        }
        guard k > start else { return nil }
        index = k
        return text(start..<k)
    }

    /// `BLANK_NODE_LABEL`; returns the label after `_:`.
    mutating func lexBlankNodeLabel() throws -> String {
        let underscore = index
        guard byte(at: index + 1) == UInt8(ascii: ":") else {
            throw error("unexpected character `_` (a blank node label starts with `_:`)", at: index)
        }
        let start = index + 2
        guard let (first, firstLength) = TurtleCharacters.decodeScalar(bytes, at: start),
              TurtleCharacters.isNameStartOrUnderscore(first) || (first >= 0x30 && first <= 0x39) else {
            throw error("invalid blank node label \(excerpt(at: underscore))", at: underscore)
        }
        let lastGood = TurtleCharacters.nameEnd(in: bytes, from: start + firstLength).lastNonDot
        index = lastGood
        return text(start..<lastGood)
    }
}
