/// Functions on strings (§17.4.3).
///
/// Positions and lengths count Unicode code points, as XPath does: not UTF-16 units and not
/// grapheme clusters (a family emoji written with joiners is seven code points). Searches
/// compare code points too, so they run on UTF-8 bytes: a byte match between two valid UTF-8
/// strings always starts and ends on code point boundaries.
extension BuiltInFunctions {
    static func stringFunction(_ function: BuiltInFunction, _ args: Arguments) throws -> Term {
        switch function {
        case .concat: return try concat(args)
        case .substr: return try substr(args)
        case .strlen:
            let (value, _) = try args.stringLiteral(0)
            return NumericValue.integer(Int64(value.unicodeScalars.count)).term
        case .ucase:
            let (value, language) = try args.stringLiteral(0)
            return string(value.uppercased(), language: language)
        case .lcase:
            let (value, language) = try args.stringLiteral(0)
            return string(value.lowercased(), language: language)
        case .encodeForURI:
            let (value, _) = try args.stringLiteral(0)
            return .literal(Literal(encodeForURI(value)))
        case .contains:
            let (text, pattern, _) = try compatibleArguments(args)
            return boolean(firstOccurrence(of: pattern, in: text) != nil)
        case .strStarts:
            let (text, pattern, _) = try compatibleArguments(args)
            return boolean(text.utf8.starts(with: pattern.utf8))
        case .strEnds:
            let (text, pattern, _) = try compatibleArguments(args)
            return boolean(text.utf8.reversed().starts(with: pattern.utf8.reversed()))
        case .strBefore: return try strBefore(args)
        case .strAfter: return try strAfter(args)
        default: throw ExpressionError(reason: "\(function.rawValue) is not a string function")
        }
    }

    /// Two string literals that are "argument compatible" (§17.4.3.1.1): both simple, both
    /// tagged with the same tag, or a tagged one and a simple one, in that order. Returns the
    /// two strings and the first argument's tag.
    static func compatibleArguments(_ args: Arguments) throws -> (String, String, language: String?) {
        let (first, firstLanguage) = try args.stringLiteral(0)
        let (second, secondLanguage) = try args.stringLiteral(1)
        if let secondLanguage, secondLanguage != firstLanguage {
            throw ExpressionError(reason: "\(args.function): `\(try args.at(0))` and `\(try args.at(1))` are not argument compatible")
        }
        return (first, second, firstLanguage)
    }

    /// CONCAT (§17.4.3.12): the strings joined; the result keeps a language tag only when
    /// every argument has that same tag. CONCAT() is `""`.
    static func concat(_ args: Arguments) throws -> Term {
        var result = ""
        var language: String?
        var sameLanguage = true
        for index in 0..<args.count {
            let (value, tag) = try args.stringLiteral(index)
            result += value
            if index == 0 {
                language = tag
            } else if tag != language {
                sameLanguage = false
            }
        }
        return string(result, language: sameLanguage ? language : nil)
    }

    /// SUBSTR (§17.4.3.3, XPath fn:substring): the code points at positions p (from 1) with
    /// round(start) <= p < round(start) + round(length). Start and length may be any numbers:
    /// XPath rounds them half up, and NaN selects nothing. The result keeps the source's tag.
    static func substr(_ args: Arguments) throws -> Term {
        let (value, language) = try args.stringLiteral(0)
        let start = roundHalfUp(try args.number(1).doubleValue)
        let end: Double
        if args.count == 3 {
            end = start + roundHalfUp(try args.number(2).doubleValue)
        } else {
            end = .infinity
        }
        var out = String.UnicodeScalarView()
        var position = 1.0
        for scalar in value.unicodeScalars {
            // Comparisons with NaN are false, so a NaN bound selects nothing, as in XPath.
            if position >= start && position < end { out.append(scalar) }
            position += 1
        }
        return string(String(out), language: language)
    }

    private static func roundHalfUp(_ value: Double) -> Double {
        guard value.isFinite else { return value }
        let lower = value.rounded(.down)
        return value - lower >= 0.5 ? lower + 1 : lower
    }

    /// STRBEFORE (§17.4.3.9): the part of the first string before the first occurrence of the
    /// second, with the first string's tag; `""` (simple) when the second does not occur.
    static func strBefore(_ args: Arguments) throws -> Term {
        let (text, pattern, language) = try compatibleArguments(args)
        guard let range = firstOccurrence(of: pattern, in: text) else { return .literal(Literal("")) }
        let bytes = Array(text.utf8)
        return string(String(decoding: bytes[..<range.lowerBound], as: UTF8.self), language: language)
    }

    /// STRAFTER (§17.4.3.10): the part of the first string after the first occurrence of the
    /// second, with the first string's tag; `""` (simple) when the second does not occur.
    static func strAfter(_ args: Arguments) throws -> Term {
        let (text, pattern, language) = try compatibleArguments(args)
        guard let range = firstOccurrence(of: pattern, in: text) else { return .literal(Literal("")) }
        let bytes = Array(text.utf8)
        return string(String(decoding: bytes[range.upperBound...], as: UTF8.self), language: language)
    }

    /// The byte range of the first occurrence of `pattern` in `text` (empty at 0 for an empty
    /// pattern), comparing UTF-8 bytes.
    static func firstOccurrence(of pattern: String, in text: String) -> Range<Int>? {
        let haystack = Array(text.utf8)
        let needle = Array(pattern.utf8)
        guard !needle.isEmpty else { return 0..<0 }
        guard needle.count <= haystack.count, let first = needle.first else { return nil }
        var start = 0
        let lastStart = haystack.count - needle.count
        while start <= lastStart {
            if haystack[start] == first {
                var offset = 1
                while offset < needle.count && haystack[start + offset] == needle[offset] { offset += 1 }
                if offset == needle.count { return start..<(start + needle.count) }
            }
            start += 1
        }
        return nil
    }

    /// ENCODE_FOR_URI (§17.4.3.11, XPath fn:encode-for-uri): every UTF-8 byte percent-encoded
    /// (upper-case hex) except the unreserved characters `A-Z a-z 0-9 - _ . ~`.
    static func encodeForURI(_ value: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(value.utf8.count)
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"):
                out.append(byte)
            default:
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
