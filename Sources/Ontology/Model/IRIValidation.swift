/// Checks on the characters of IRIs and language tags, shared by the parsers so that no writer
/// is ever handed a term it cannot write back.
enum IRIValidation {
    /// Whether the string holds a character that RFC 3987 never allows in an IRI: controls,
    /// space, or one of `<>"{}|^`\`.
    static func hasForbiddenCharacter(_ string: String) -> Bool {
        for byte in string.utf8 where NTriplesEscaping.needsIRIEscape(byte) { return true }
        return false
    }
}

extension IRI {
    /// Whether `text` is an absolute IRI: a scheme (`letter *(letter / digit / "+" / "-" / ".")`),
    /// `:`, and no character RFC 3987 never allows in an IRI (controls, C0, DEL and C1, space, or
    /// one of `<>"{}|^`\`).
    ///
    /// The one check for IRIs that arrive outside an RDF syntax (JSON fields, query parameters
    /// such as `?graph=` and `default-graph-uri`, command-line options), so that no term the
    /// store would refuse, or a writer could not write back, gets in. The parsers check the same
    /// characters as they read (``IRIValidation``).
    public static func isAbsolute(_ text: String) -> Bool {
        guard IRIComponents.schemeEnd(text.utf8) != nil, !IRIValidation.hasForbiddenCharacter(text) else { return false }
        // DEL and the C1 controls (U+0080-U+009F, `C2 80`-`C2 9F` in UTF-8) are not `ucschar`s.
        var previous: UInt8 = 0
        for byte in text.utf8 {
            if byte == 0x7F || (previous == 0xC2 && (0x80...0x9F).contains(byte)) { return false }
            previous = byte
        }
        return true
    }
}

/// The shape of a BCP 47 language tag as RDF 1.1 syntaxes accept it:
/// `[a-zA-Z]{1,8} ('-' [a-zA-Z0-9]{1,8})*`.
enum LanguageTag {
    static func isWellFormed(_ tag: String) -> Bool {
        var length = 0
        var first = true
        for byte in tag.utf8 {
            switch byte {
            case UInt8(ascii: "-"):
                if length == 0 { return false }
                length = 0
                first = false
                continue
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
                break
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if first { return false }
            default:
                return false
            }
            length += 1
            if length > 8 { return false }
        }
        return length > 0
    }
}
