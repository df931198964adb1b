/// REGEX and REPLACE (§17.4.3.14, §17.4.3.15, XPath fn:matches and fn:replace).
extension BuiltInFunctions {
    /// REGEX(text, pattern, flags?): whether `pattern` matches somewhere in `text` (a simple
    /// or language-tagged literal). Pattern and flags are simple literals; see ``XPathRegex``
    /// for the flags.
    static func regex(_ args: Arguments, context: inout FunctionContext) throws -> Term {
        let (text, _) = try args.stringLiteral(0)
        let pattern = try args.simpleString(1)
        let flags = args.count == 3 ? try args.simpleString(2) : ""
        let program = try context.regexCache.regex(pattern, flags: flags)
        return boolean(try program.isMatch(in: Array(text.unicodeScalars), deadline: context.deadline))
    }

    /// REPLACE(text, pattern, replacement, flags?): every non-overlapping match of `pattern` in
    /// `text` replaced, with the text's language tag kept.
    ///
    /// In the replacement, `$N` stands for the N-th group (the empty string when the group
    /// did not take part, or N exceeds the group count), `\$` and `\\` for `$` and `\`; any
    /// other `$` or `\` is an error (XPath `FORX0004`), as is a pattern that matches the empty
    /// string (`FORX0003`: it would match between every two characters).
    static func replace(_ args: Arguments, context: inout FunctionContext) throws -> Term {
        let (text, language) = try args.stringLiteral(0)
        let pattern = try args.simpleString(1)
        let replacement = try parseReplacement(try args.simpleString(2))
        let flags = args.count == 4 ? try args.simpleString(3) : ""
        let program = try context.regexCache.regex(pattern, flags: flags)
        if program.matchesEmptyString() {
            throw ExpressionError(reason: "REPLACE: pattern `\(pattern)` matches the empty string")
        }
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var last = 0
        for match in try program.matches(in: scalars, deadline: context.deadline) {
            out.append(contentsOf: scalars[last..<match.range.lowerBound])
            for part in replacement {
                switch part {
                case .text(let value):
                    out.append(contentsOf: value.unicodeScalars)
                case .group(let digits):
                    let (number, rest) = groupReference(digits, groupCount: program.groupCount)
                    if let range = match.group(number) {
                        out.append(contentsOf: scalars[range])
                    }
                    out.append(contentsOf: rest.unicodeScalars)
                }
            }
            last = match.range.upperBound
        }
        out.append(contentsOf: scalars[last...])
        return string(String(out), language: language)
    }

    /// A piece of a REPLACE replacement string.
    enum ReplacementPart: Equatable {
        case text(String)
        /// `$` followed by these digits (how many of them name the group depends on the
        /// pattern's group count, known only when matching).
        case group([Int])
    }

    /// Splits a replacement string into text and group references.
    static func parseReplacement(_ replacement: String) throws -> [ReplacementPart] {
        var parts: [ReplacementPart] = []
        var text = String.UnicodeScalarView()
        var iterator = replacement.unicodeScalars.makeIterator()
        var pending = iterator.next()
        while let scalar = pending {
            pending = iterator.next()
            switch scalar {
            case "\\":
                guard let next = pending, next == "\\" || next == "$" else {
                    throw ExpressionError(reason: "REPLACE: `\\` must be followed by `\\` or `$` in `\(replacement)`")
                }
                text.append(next)
                pending = iterator.next()
            case "$":
                var digits: [Int] = []
                while let next = pending, next.value >= 0x30, next.value <= 0x39 {
                    digits.append(Int(next.value - 0x30))
                    pending = iterator.next()
                }
                guard !digits.isEmpty else {
                    throw ExpressionError(reason: "REPLACE: `$` must be followed by a group number in `\(replacement)`")
                }
                if !text.isEmpty {
                    parts.append(.text(String(text)))
                    text = String.UnicodeScalarView()
                }
                parts.append(.group(digits))
            default:
                text.append(scalar)
            }
        }
        if !text.isEmpty { parts.append(.text(String(text))) }
        return parts
    }

    /// The group a `$` reference names and the digits left over as text: the first digit
    /// always counts, each further one only while the number stays within the group count
    /// (XPath F&O §5.6.3: with 12 groups `$13` is group 1 followed by `3`).
    static func groupReference(_ digits: [Int], groupCount: Int) -> (Int, String) {
        guard let first = digits.first else { return (0, "") }
        var number = first
        var used = 1
        while used < digits.count {
            let candidate = number * 10 + digits[used]
            guard candidate <= groupCount else { break }
            number = candidate
            used += 1
        }
        let rest = digits.dropFirst(used).map(String.init).joined()
        return (number, rest)
    }
}
