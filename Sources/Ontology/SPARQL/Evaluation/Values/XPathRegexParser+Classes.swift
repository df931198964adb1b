/// Character class expressions and the escapes that stand for sets (XSD 1.1 Part 2 §G.4).
extension XPathRegexParser {
    /// After `[`: a positive or negative group, optionally followed by a subtraction
    /// `-[…]`, up to and including the closing `]`.
    ///
    /// A `-` is literal at the start or the end of a group; elsewhere it makes a range
    /// (`a-z`) or starts a subtraction. A range's ends are single characters or
    /// single-character escapes; a multi-character escape (`\d`) cannot be one.
    mutating func parseClassExpression() throws -> XPathCharSet {
        try enter()
        defer { depth -= 1 }
        var negated = false
        if peek() == "^" {
            position += 1
            negated = true
        }
        var ranges: [ClosedRange<UInt32>] = []
        var members: [XPathCharSet] = []
        var subtracted: XPathCharSet?
        var isFirst = true
        while true {
            guard let scalar = peek() else { throw invalid("unclosed `[`") }
            if scalar == "]" {
                if isFirst { throw invalid("empty character class") }
                position += 1
                break
            }
            if scalar == "-", peek(offset: 1) == "[", !isFirst {
                position += 2
                subtracted = try parseClassExpression()
                guard next() == "]" else { throw invalid("a class subtraction must end its class") }
                break
            }
            if scalar == "[" { throw invalid("`[` must be escaped in a character class") }
            if scalar == "-", !isFirst, peek(offset: 1) != "]" {
                throw invalid("`-` is literal only at the start or end of a character class")
            }
            position += 1
            var first = scalar.value
            if scalar == "\\" {
                guard let escaped = next() else { throw invalid("unclosed `[`") }
                if let value = Self.singleCharacterEscape(escaped) {
                    first = value
                } else if let set = try parseSetEscape(escaped) {
                    members.append(set)
                    isFirst = false
                    if peek() == "-", let after = peek(offset: 1), after != "]", after != "[" {
                        throw invalid("`\\\(escaped)` cannot start a range")
                    }
                    continue
                } else {
                    throw invalid("unknown escape `\\\(escaped)` in a character class")
                }
            }
            isFirst = false
            guard peek() == "-", let after = peek(offset: 1), after != "]", after != "[" else {
                ranges.append(first...first)
                continue
            }
            position += 2
            var last = after.value
            if after == "\\" {
                guard let escaped = next(), let value = Self.singleCharacterEscape(escaped) else {
                    throw invalid("a range must end with a character or a single-character escape")
                }
                last = value
            }
            guard first <= last else { throw invalid("a range has its ends in the wrong order") }
            ranges.append(first...last)
        }
        if !ranges.isEmpty {
            members.insert(.merging(caseInsensitive ? XPathCharSet.caseClosed(ranges) : ranges), at: 0)
        }
        var set = members.count == 1 ? members[0] : .union(members)
        if negated { set = .complement(set) }
        if let subtracted { set = .subtraction(set, subtracted) }
        return set
    }

    /// The set of a multi-character escape (`\d`, `\S`…) or of a category or block escape
    /// (`\p{Lu}`, `\P{IsGreek}`), given the scalar after `\`; nil for any other escape.
    mutating func parseSetEscape(_ escaped: Unicode.Scalar) throws -> XPathCharSet? {
        guard escaped == "p" || escaped == "P" else { return XPathCharSet.multiCharacterEscape(escaped) }
        guard next() == "{" else { throw invalid("`\\\(escaped)` must be followed by `{`") }
        var name = String.UnicodeScalarView()
        var closed = false
        while let scalar = next() {
            if scalar == "}" {
                closed = true
                break
            }
            name.append(scalar)
        }
        guard closed else { throw invalid("unclosed `\\\(escaped){`") }
        let text = String(name)
        let set: XPathCharSet
        if text.hasPrefix("Is"), text.count > 2 {
            guard let ranges = XPathUnicodeBlocks.ranges(named: String(text.dropFirst(2))) else {
                throw invalid("unknown Unicode block `\(text)`")
            }
            set = .merging(ranges)
        } else {
            guard let category = XPathCharSet.category(named: text) else {
                throw invalid("unknown Unicode category `\(text)`")
            }
            set = category
        }
        return escaped == "P" ? .complement(set) : set
    }

    /// The character a single-character escape stands for, given the scalar after `\`: `\n`,
    /// `\r`, `\t`, and any escaped ASCII punctuation (XSD lists `\ | . - ^ ? * + { } ( ) [ ]`,
    /// XPath adds `$`; others are accepted too, see ``XPathRegexParser``). Nil for letters,
    /// digits and anything else.
    static func singleCharacterEscape(_ escaped: Unicode.Scalar) -> UInt32? {
        switch escaped.value {
        case 0x6E: return 0x0A   // n
        case 0x72: return 0x0D   // r
        case 0x74: return 0x09   // t
        case 0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E: return escaped.value
        default: return nil
        }
    }
}
