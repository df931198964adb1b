/// Regular expressions of XPath F&O §5.6 (used by REGEX and REPLACE, §17.4.3.14-15), run on
/// Swift Regex.
///
/// XPath matches code point by code point, so the regex runs with Unicode scalar semantics
/// (Swift's default is grapheme clusters, where `.` would swallow a whole emoji sequence). The
/// flags map to Regex options: `i` ignores case, `s` lets `.` match newlines, `m` makes `^` and
/// `$` match at line ends, `x` removes whitespace outside character classes, and `q` takes
/// the whole pattern literally. Other flags are an error (XPath `FORX0001`), as is a pattern
/// Swift cannot compile (`FORX0002`).
enum XPathRegex {
    /// Compiles `pattern` with XPath `flags`.
    /// - Throws: ``ExpressionError`` for an unknown flag or an invalid pattern.
    static func compile(_ pattern: String, flags: String) throws -> Regex<AnyRegexOutput> {
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
        var source = pattern
        if literal {
            source = escaped(pattern)
        } else {
            if extended { source = removingWhitespace(source) }
            source = translatingClassSubtraction(source)
        }
        var regex: Regex<AnyRegexOutput>
        do {
            regex = try Regex(source)
        } catch {
            throw ExpressionError(reason: "invalid regular expression `\(pattern)`")
        }
        regex = regex.matchingSemantics(.unicodeScalar)
        if ignoreCase { regex = regex.ignoresCase() }
        if dotAll { regex = regex.dotMatchesNewlines() }
        if multiline { regex = regex.anchorsMatchLineEndings() }
        return regex
    }

    /// The pattern with every metacharacter escaped (the `q` flag).
    static func escaped(_ pattern: String) -> String {
        var out = ""
        out.reserveCapacity(pattern.utf8.count)
        for scalar in pattern.unicodeScalars {
            switch scalar {
            case "\\", "^", "$", ".", "|", "?", "*", "+", "(", ")", "[", "]", "{", "}":
                out.unicodeScalars.append("\\")
            default:
                break
            }
            out.unicodeScalars.append(scalar)
        }
        return out
    }

    /// XPath writes character class subtraction `[a-z-[aeiou]]` (XSD Part 2 §F.1.1); Swift's
    /// regex syntax spells it `[a-z--[aeiou]]`. Rewrites each `-[` inside a class.
    static func translatingClassSubtraction(_ pattern: String) -> String {
        guard pattern.contains("-[") else { return pattern }
        var out = String.UnicodeScalarView()
        var classDepth = 0
        var escaping = false
        var afterDash = false   // the previous scalar was an unescaped `-` inside a class
        for scalar in pattern.unicodeScalars {
            if escaping {
                escaping = false
                afterDash = false
                out.append(scalar)
                continue
            }
            switch scalar {
            case "\\":
                escaping = true
            case "[":
                if classDepth > 0 && afterDash { out.append("-") }
                classDepth += 1
            case "]":
                if classDepth > 0 { classDepth -= 1 }
            default:
                break
            }
            afterDash = classDepth > 0 && scalar == "-"
            out.append(scalar)
        }
        return String(out)
    }

    /// The pattern without the whitespace (tab, newline, carriage return, space) that stands
    /// outside character classes (the `x` flag of XPath F&O §5.6.2, which, unlike Perl's, has
    /// no comments).
    static func removingWhitespace(_ pattern: String) -> String {
        var out = ""
        var classDepth = 0
        var escaping = false
        for scalar in pattern.unicodeScalars {
            if escaping {
                escaping = false
                out.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\\":
                escaping = true
            case "[":
                classDepth += 1
            case "]":
                if classDepth > 0 { classDepth -= 1 }
            case " ", "\t", "\n", "\r":
                if classDepth == 0 { continue }
            default:
                break
            }
            out.unicodeScalars.append(scalar)
        }
        return out
    }
}
