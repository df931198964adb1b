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
