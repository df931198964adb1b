extension SPARQLLexer {
    // MARK: Strings

    /// A string in any of the four quoting styles, with `index` at the opening quote.
    mutating func lexString() throws -> String {
        let open = index
        guard let quote = byte(at: index) else { throw error("unterminated string", at: index) }
        let long = byte(at: index + 1) == quote && byte(at: index + 2) == quote
        index += long ? 3 : 1
        scratch.removeAll(keepingCapacity: true)
        while let b = byte(at: index) {
            if b == quote {
                if !long {
                    index += 1
                    return String(decoding: scratch, as: UTF8.self)
                }
                if byte(at: index + 1) == quote && byte(at: index + 2) == quote {
                    index += 3
                    return String(decoding: scratch, as: UTF8.self)
                }
                scratch.append(b)
                index += 1
                continue
            }
            switch b {
            case UInt8(ascii: "\\"):
                try appendEscape()
            case 0x0A where !long, 0x0D where !long:
                throw error("unterminated string (a line break inside a string must be written `\\n`)", at: open)
            case 0x80...:
                guard let (_, length) = TurtleCharacters.decodeScalar(bytes, at: index) else {
                    throw error("invalid UTF-8", at: index)
                }
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<(index + length)]))
                index += length
            default:
                scratch.append(b)
                index += 1
            }
        }
        throw error("unterminated string", at: open)
    }

    /// Decodes `ECHAR` or `UCHAR` at `index` into `scratch` and moves past it.
    private mutating func appendEscape() throws {
        if let value = TurtleCharacters.escapedCharacter(byte(at: index + 1)) {
            scratch.append(value)
            index += 2
            return
        }
        guard byte(at: index + 1) == UInt8(ascii: "u") || byte(at: index + 1) == UInt8(ascii: "U") else {
            throw error("invalid escape \(excerpt(at: index, limit: 2)) in a string", at: index)
        }
        let (scalar, length) = try unicodeEscape(at: index)
        TurtleCharacters.appendUTF8(scalar, to: &scratch)
        index += length
    }

    // MARK: Language tags and numbers

    /// `LANGTAG`: `@` followed by `[a-zA-Z]+ ('-' [a-zA-Z0-9]+)*`; returns the tag.
    mutating func lexLanguageTag() throws -> String {
        let at = index
        index += 1
        let start = index
        while let b = byte(at: index), TurtleCharacters.isLetter(b) { index += 1 }
        guard index > start else {
            throw error("expected a language tag after `@`, found \(excerpt(at: index))", at: at)
        }
        while byte(at: index) == UInt8(ascii: "-") {
            var k = index + 1
            while let b = byte(at: k), TurtleCharacters.isLetter(b) || TurtleCharacters.isDigit(b) { k += 1 }
            guard k > index + 1 else { throw error("invalid language tag \(excerpt(at: at))", at: at) }
            index = k
        }
        return text(start..<index)
    }

    /// `INTEGER`, `DECIMAL` or `DOUBLE`, with an optional sign.
    mutating func lexNumber() throws -> SPARQLToken {
        let start = index
        guard let (kind, end) = TurtleCharacters.scanNumber(in: bytes, at: start) else {
            throw error("invalid number \(excerpt(at: start))", at: start)
        }
        index = end
        switch kind {
        case .integer: return .integer(text(start..<end))
        case .decimal: return .decimal(text(start..<end))
        case .double: return .double(text(start..<end))
        }
    }
}
