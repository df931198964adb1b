extension TurtleLexer {
    /// A prefixed name (`PNAME_NS` or `PNAME_LN`) or a bare keyword (`a`, `true`, `false`,
    /// `PREFIX`, `BASE`), with `index` at its first byte.
    mutating func lexName() throws -> TurtleToken {
        let start = index
        if bytes[index] != UInt8(ascii: ":") {
            guard let (c, length) = TurtleCharacters.decodeScalar(bytes, at: index) else {
                throw error("invalid UTF-8", at: index)
            }
            guard TurtleCharacters.isNameStart(c) else {
                throw error("unexpected character \(excerpt(at: index, limit: 1))", at: index)
            }
            let scan = TurtleCharacters.nameEnd(in: bytes, from: index + length)
            index = scan.end
            let lastGood = scan.lastNonDot
            guard byte(at: index) == UInt8(ascii: ":") else {
                // Not a prefixed name: a keyword, with any dots after it left for the grammar.
                index = lastGood
                return try keyword(start..<index)
            }
            guard lastGood == index else {
                throw error("prefix `\(text(start..<index))` cannot end with `.`", at: start)
            }
        }
        let colon = index
        index += 1
        var escaped = false
        try lexLocalName(escaped: &escaped)
        return .prefixedName(start..<index, colon: colon, escaped: escaped)
    }

    private func keyword(_ word: Range<Int>) throws -> TurtleToken {
        if matches(word, "a") { return .a }
        if matches(word, "true") { return .true }
        if matches(word, "false") { return .false }
        if matches(word, "prefix", ignoringCase: true) { return .prefixKeyword }
        if matches(word, "base", ignoringCase: true) { return .baseKeyword }
        throw error("unknown word `\(text(word))` (a prefixed name needs a `:`)", at: word.lowerBound)
    }

    /// `PN_LOCAL`, possibly empty, with `index` just after the colon. A trailing `.` is left
    /// for the grammar, since it ends the statement.
    private mutating func lexLocalName(escaped: inout Bool) throws {
        var lastGood = index
        var first = true
        let end = bytes.count
        while index < end {
            let b = bytes[index]
            switch b {
            case UInt8(ascii: "%"):
                guard let h1 = byte(at: index + 1), TurtleCharacters.hexValue(h1) != nil,
                      let h2 = byte(at: index + 2), TurtleCharacters.hexValue(h2) != nil else {
                    throw error("invalid percent escape \(excerpt(at: index, limit: 3)) in local name", at: index)
                }
                index += 3
                lastGood = index
            case UInt8(ascii: "\\"):
                guard let e = byte(at: index + 1), TurtleCharacters.isLocalEscapable(e) else {
                    throw error("invalid escape \(excerpt(at: index, limit: 2)) in local name", at: index)
                }
                index += 2
                lastGood = index
                escaped = true
            case UInt8(ascii: ":"):
                index += 1
                lastGood = index
            case UInt8(ascii: "."):
                if first {
                    index = lastGood
                    return
                }
                index += 1
            default:
                guard let (c, length) = TurtleCharacters.decodeScalar(bytes, at: index) else {
                    index = lastGood
                    return
                }
                let allowed = first
                    ? TurtleCharacters.isNameStartOrUnderscore(c) || (c >= 0x30 && c <= 0x39)
                    : TurtleCharacters.isNameChar(c)
                guard allowed else {
                    index = lastGood
                    return
                }
                index += length
                lastGood = index
            }
            first = false
        }
        index = lastGood
    }

    /// The local part of a prefixed name (the bytes after the colon up to `end`), with its
    /// backslash escapes removed; percent escapes stay as written, as Turtle requires.
    func localText(_ range: Range<Int>, escaped: Bool) -> String {
        guard escaped else { return text(range) }
        var out: [UInt8] = []
        out.reserveCapacity(range.count)
        var i = range.lowerBound
        while i < range.upperBound && i < bytes.count {
            if bytes[i] == UInt8(ascii: "\\") && i + 1 < range.upperBound {
                i += 1
            }
            out.append(bytes[i])
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
