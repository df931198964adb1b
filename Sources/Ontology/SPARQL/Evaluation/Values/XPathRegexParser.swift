/// Parses an XPath regular expression (XPath F&O 3.1 §5.6.1, which extends XSD 1.1 Part 2
/// Appendix G) into an ``XPathRegexNode`` tree.
///
/// The grammar is XSD's: branches separated by `|`, pieces of an atom and an optional
/// quantifier, atoms that are characters, escapes, classes, groups, `.`, `^` or `$`. It is
/// stricter than Perl's where XSD is (an unescaped `{`, `}` or `]` is an error, and there are
/// no `(?=`, `\b` or `\x` constructs) and refuses back-references, which no linear-time
/// matcher can run. Escaping ASCII punctuation that XSD does not list (`\/`, `\"`) is
/// accepted as the literal character, as Perl-style engines (and Oxigraph) do, so that
/// patterns written for them keep working.
struct XPathRegexParser {
    /// The largest count a `{n,m}` quantifier may give: counted repetitions are expanded
    /// into copies, so this bounds the program size.
    static let maximumCount = 1000
    /// The deepest nesting of groups and classes, to bound the recursion of the parser.
    static let maximumDepth = 200

    let pattern: [Unicode.Scalar]
    /// The pattern as written, for error messages.
    let source: String
    let caseInsensitive: Bool
    let dotAll: Bool
    let multiline: Bool
    var position = 0
    var depth = 0
    /// Capturing groups seen so far; after ``parse()``, the pattern's group count.
    private(set) var groupCount = 0

    init(pattern: [Unicode.Scalar], source: String, caseInsensitive: Bool, dotAll: Bool, multiline: Bool) {
        self.pattern = pattern
        self.source = source
        self.caseInsensitive = caseInsensitive
        self.dotAll = dotAll
        self.multiline = multiline
    }

    /// The tree of the whole pattern.
    /// - Throws: ``ExpressionError`` for a syntax error or a back-reference.
    mutating func parse() throws -> XPathRegexNode {
        let node = try parseAlternation()
        if position < pattern.count { throw invalid("unmatched `)`") }
        return node
    }

    // MARK: Structure

    private mutating func parseAlternation() throws -> XPathRegexNode {
        var branches = [try parseBranch()]
        while peek() == "|" {
            position += 1
            branches.append(try parseBranch())
        }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    private mutating func parseBranch() throws -> XPathRegexNode {
        var pieces: [XPathRegexNode] = []
        while let scalar = peek(), scalar != "|", scalar != ")" {
            pieces.append(try parsePiece())
        }
        switch pieces.count {
        case 0: return .empty
        case 1: return pieces[0]
        default: return .sequence(pieces)
        }
    }

    private mutating func parsePiece() throws -> XPathRegexNode {
        let atom = try parseAtom()
        let min: Int
        let max: Int?
        switch peek() {
        case "?": (min, max) = (0, 1)
        case "*": (min, max) = (0, nil)
        case "+": (min, max) = (1, nil)
        case "{": (min, max) = try parseCount()
        default: return atom
        }
        position += 1   // the `?`, `*`, `+` or the closing `}`
        var greedy = true
        if peek() == "?" {
            position += 1
            greedy = false
        }
        if let next = peek(), next == "?" || next == "*" || next == "+" || next == "{" {
            throw invalid("a quantifier cannot follow another one")
        }
        return .repetition(atom, min: min, max: max, greedy: greedy)
    }

    /// `{n}`, `{n,}` or `{n,m}`, leaving the position on the closing `}`.
    private mutating func parseCount() throws -> (Int, Int?) {
        position += 1
        guard let min = parseNumber() else { throw invalid("a `{` quantifier needs a count") }
        var max: Int? = min
        if peek() == "," {
            position += 1
            max = peek() == "}" ? nil : parseNumber()
            if max == nil && peek() != "}" { throw invalid("a `{n,m}` quantifier needs a number after `,`") }
        }
        guard peek() == "}" else { throw invalid("unclosed `{` quantifier") }
        if let max, max < min { throw invalid("`{\(min),\(max)}` has its bounds in the wrong order") }
        if min > Self.maximumCount || (max ?? 0) > Self.maximumCount {
            throw invalid("repetition counts above \(Self.maximumCount) are not supported")
        }
        return (min, max)
    }

    /// Decimal digits, saturating just above ``maximumCount``; nil if there are none.
    private mutating func parseNumber() -> Int? {
        var value: Int?
        while let scalar = peek(), let digit = Self.digit(scalar) {
            value = Swift.min((value ?? 0) * 10 + digit, Self.maximumCount + 1)
            position += 1
        }
        return value
    }

    private mutating func parseAtom() throws -> XPathRegexNode {
        guard let scalar = next() else { throw invalid("unexpected end") }
        switch scalar {
        case "(": return try parseGroup()
        case "[": return .set(try parseClassExpression())
        case "\\": return try parseEscape()
        case ".": return dotAll ? .any : .anyButNewline
        case "^": return .assertion(multiline ? .lineStart : .textStart)
        case "$": return .assertion(multiline ? .lineEnd : .textEnd)
        case "?", "*", "+", "{": throw invalid("`\(scalar)` has nothing to repeat")
        case "}", "]": throw invalid("`\(scalar)` must be escaped")
        default: return literal(scalar.value)
        }
    }

    /// After `(`: a capturing group, or a non-capturing one for `(?:`.
    private mutating func parseGroup() throws -> XPathRegexNode {
        var index: Int?
        if peek() == "?" {
            guard peek(offset: 1) == ":" else { throw invalid("`(?` is only supported as `(?:`") }
            position += 2
        } else {
            groupCount += 1
            index = groupCount
        }
        try enter()
        let inner = try parseAlternation()
        depth -= 1
        guard next() == ")" else { throw invalid("unclosed `(`") }
        if let index { return .group(index, inner) }
        return inner
    }

    /// After `\` outside a class.
    private mutating func parseEscape() throws -> XPathRegexNode {
        guard let escaped = next() else { throw invalid("`\\` at the end") }
        if let value = Self.singleCharacterEscape(escaped) { return literal(value) }
        if let digit = Self.digit(escaped), digit > 0 {
            throw ExpressionError(reason: "back-references are not supported (they cannot run in linear time)")
        }
        guard let set = try parseSetEscape(escaped) else { throw invalid("unknown escape `\\\(escaped)`") }
        return .set(set)
    }

    /// A literal character: with flag `i`, the set of its case variants.
    static func literal(_ value: UInt32, caseInsensitive: Bool) -> XPathRegexNode {
        guard caseInsensitive, XPathCharSet.caseVariants(of: value).count > 1 else { return .scalar(value) }
        return .set(.merging(XPathCharSet.caseClosed([value...value])))
    }

    private func literal(_ value: UInt32) -> XPathRegexNode {
        Self.literal(value, caseInsensitive: caseInsensitive)
    }

    // MARK: Reading

    func peek(offset: Int = 0) -> Unicode.Scalar? {
        let index = position + offset
        return index < pattern.count ? pattern[index] : nil
    }

    mutating func next() -> Unicode.Scalar? {
        guard position < pattern.count else { return nil }
        position += 1
        return pattern[position - 1]
    }

    /// One nesting level deeper, refusing patterns nested beyond ``maximumDepth``.
    mutating func enter() throws {
        depth += 1
        if depth > Self.maximumDepth { throw invalid("nested too deeply") }
    }

    func invalid(_ detail: String) -> ExpressionError {
        ExpressionError(reason: "invalid regular expression `\(source)`: \(detail)")
    }

    static func digit(_ scalar: Unicode.Scalar) -> Int? {
        (0x30...0x39).contains(scalar.value) ? Int(scalar.value - 0x30) : nil
    }
}
