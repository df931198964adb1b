import Ontology

/// IRI text the registry mints or takes apart; whether a string is an absolute IRI at all is
/// ``Ontology/IRI/isAbsolute(_:)``.
enum IRIText {
    /// The URL's scheme, lower-cased, or nil.
    static func scheme(_ text: String) -> String? {
        guard IRI.isAbsolute(text), let colon = text.firstIndex(of: ":") else { return nil }
        return text[..<colon].lowercased()
    }

    /// An RFC 6570 URI template with each expression (`{id}`, `{?q,r}`) replaced by one
    /// letter: what its expansions look like, for checking the template is a URI.
    static func templateProbe(_ template: String) -> String {
        var result = ""
        var inExpression = false
        for character in template {
            switch character {
            case "{" where !inExpression: inExpression = true
            case "}" where inExpression:
                inExpression = false
                result.append("x")
            default: if !inExpression { result.append(character) }
            }
        }
        return result
    }

    /// Percent-encodes everything but unreserved characters and `/`, for minting IRIs from ids.
    static func encodeSegment(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                 UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                result += "%" + String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 15)]], as: UTF8.self)
            }
        }
        return result
    }
}
