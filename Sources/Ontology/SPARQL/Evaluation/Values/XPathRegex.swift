/// Regular expressions of XPath F&O §5.6 (used by REGEX and REPLACE, §17.4.3.14-15).
///
/// Patterns compile to an ``XPathRegexProgram`` that matches in time linear in the text,
/// rather than to Swift Regex, whose backtracking takes exponential time on patterns such as
/// `^(a+)+$`: a REGEX filter over data cannot be interrupted, so one such pattern could hold
/// a server thread far beyond the query timeout. The price is that back-references
/// (`(a)\1`) are refused, as Oxigraph (on Rust's regex crate) refuses them.
///
/// The flags are XPath's: `i` ignores case, `s` lets `.` match `\n` and `\r`, `m` makes `^`
/// and `$` match at line ends, `x` removes whitespace outside character classes, and `q`
/// takes the whole pattern literally (`i` still applies; `x` does not). Other flags are an
/// error (XPath `FORX0001`), as is an invalid pattern (`FORX0002`).
enum XPathRegex {
    /// Compiles `pattern` with XPath `flags`.
    /// - Throws: ``ExpressionError`` for an unknown flag, an invalid or too large pattern, or
    ///   a back-reference.
    static func compile(_ pattern: String, flags: String) throws -> XPathRegexProgram {
        var ignoreCase = false
        var dotAll = false
        var multiline = false
        var extended = false
        var literal = false
        for flag in flags {
            switch flag {
            case "i": ignoreCase = true
            case "s": dotAll = true
            case "m": multiline = true
            case "x": extended = true
            case "q": literal = true
            default: throw ExpressionError(reason: "unknown regular expression flag `\(flag)`")
            }
        }
        if literal {
            let literals = pattern.unicodeScalars.map {
                XPathRegexParser.literal($0.value, caseInsensitive: ignoreCase)
            }
            return try XPathRegexCompiler.compile(.sequence(literals), groupCount: 0,
                                                  caseInsensitive: ignoreCase, source: pattern)
        }
        let scalars = extended ? removingWhitespace(pattern) : Array(pattern.unicodeScalars)
        var parser = XPathRegexParser(pattern: scalars, source: pattern, caseInsensitive: ignoreCase,
                                      dotAll: dotAll, multiline: multiline)
        let node = try parser.parse()
        return try XPathRegexCompiler.compile(node, groupCount: parser.groupCount,
                                              caseInsensitive: ignoreCase, source: pattern)
    }

    /// The pattern without the whitespace (tab, newline, carriage return, space) that stands
    /// outside character classes (the `x` flag of XPath F&O §5.6.2, which, unlike Perl's, has
    /// no comments). Whitespace goes even after a `\`: XPath's own example reads
    /// `hello\ sworld` as `hello\sworld`.
    static func removingWhitespace(_ pattern: String) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        var classDepth = 0
        var escaping = false
        for scalar in pattern.unicodeScalars {
            let isWhitespace = scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r"
            if isWhitespace && classDepth == 0 { continue }
            out.append(scalar)
            if escaping {
                escaping = false
                continue
            }
            switch scalar {
            case "\\": escaping = true
            case "[": classDepth += 1
            case "]": if classDepth > 0 { classDepth -= 1 }
            default: break
            }
        }
        return out
    }
}
