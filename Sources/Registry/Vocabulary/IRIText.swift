/// Checks on IRIs that arrive as JSON strings, so that no term the store would refuse (or a
/// writer could not write back) gets into a registration graph.
public enum IRIText {
    /// An absolute IRI: a scheme, `:`, and no character RFC 3987 forbids (controls, space, `<>"{}|^`\`).
    public static func isAbsolute(_ text: String) -> Bool {
        var sawScheme = false
        var index = 0
        for byte in text.utf8 {
            if !sawScheme {
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
                    break
                case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."):
                    if index == 0 { return false }
                case UInt8(ascii: ":"):
                    if index == 0 { return false }
                    sawScheme = true
                default:
                    return false
                }
            } else {
                switch byte {
                case 0...0x20, 0x7F, UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""), UInt8(ascii: "{"),
                     UInt8(ascii: "}"), UInt8(ascii: "|"), UInt8(ascii: "^"), UInt8(ascii: "`"), UInt8(ascii: "\\"):
                    return false
                default:
                    break
                }
            }
            index += 1
        }
        return sawScheme && !text.hasSuffix(":")
    }

    /// The URL's scheme, lower-cased, or nil.
    static func scheme(_ text: String) -> String? {
        guard isAbsolute(text), let colon = text.firstIndex(of: ":") else { return nil }
        return text[..<colon].lowercased()
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
