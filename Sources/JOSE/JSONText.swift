/// Minimal JSON writing for the fixed-shape documents this target signs.
enum JSONText {
    /// `text` as a JSON string literal, quotes included (RFC 8259 §7).
    static func quoted(_ text: String) -> String {
        var output = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                output.unicodeScalars.append(scalar)
            }
        }
        return output + "\""
    }

    /// Whether any object in `json` (at any depth) has two members of the same name, names
    /// compared after their escapes are decoded (`"s\u0075b"` is `"sub"`) and as Swift strings
    /// (canonically equivalent names count as the same). `json` must already be known to be
    /// valid JSON.
    ///
    /// RFC 7515 §5.2 and RFC 7519 §4 ask to reject duplicates (or keep the last), while
    /// Foundation's decoder keeps one of them: a credential with two `sub` members would mean
    /// one thing to registryd and another to the library that checks it elsewhere.
    static func hasDuplicateMembers(_ json: [UInt8]) -> Bool {
        var objects: [Set<String>?] = []   // one entry per open container; nil for arrays
        var index = 0
        var expectingKey = false
        while index < json.count {
            let byte = json[index]
            switch byte {
            case UInt8(ascii: "{"):
                objects.append([])
                expectingKey = true
            case UInt8(ascii: "["):
                objects.append(nil)
                expectingKey = false
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                _ = objects.popLast()
                expectingKey = false
            case UInt8(ascii: ","):
                expectingKey = objects.last.map { $0 != nil } ?? false
            case UInt8(ascii: "\""):
                guard let (text, end) = string(in: json, from: index) else { return false }
                if expectingKey, var keys = objects.last ?? nil {
                    guard keys.insert(text).inserted else { return true }
                    objects[objects.count - 1] = keys
                    expectingKey = false
                }
                index = end
                continue
            default:
                break
            }
            index += 1
        }
        return false
    }

    /// The decoded JSON string starting at the quote at `start`, and the index after its end quote.
    private static func string(in json: [UInt8], from start: Int) -> (String, Int)? {
        var scalars = String.UnicodeScalarView()
        var raw: [UInt8] = []
        var index = start + 1
        func flush() {
            scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars)
            raw.removeAll(keepingCapacity: true)
        }
        func hex4(_ at: Int) -> UInt32? {
            guard at + 4 <= json.count, let text = String(validating: json[at..<at + 4], as: UTF8.self) else { return nil }
            return UInt32(text, radix: 16)
        }
        while index < json.count {
            let byte = json[index]
            if byte == UInt8(ascii: "\"") {
                flush()
                return (String(scalars), index + 1)
            }
            guard byte == UInt8(ascii: "\\"), index + 1 < json.count else {
                raw.append(byte)
                index += 1
                continue
            }
            flush()
            let escape = json[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "b"): scalars.append("\u{8}")
            case UInt8(ascii: "f"): scalars.append("\u{C}")
            case UInt8(ascii: "n"): scalars.append("\n")
            case UInt8(ascii: "r"): scalars.append("\r")
            case UInt8(ascii: "t"): scalars.append("\t")
            case UInt8(ascii: "u"):
                guard var value = hex4(index) else { return nil }
                index += 4
                if (0xD800..<0xDC00).contains(value), index + 6 <= json.count, json[index] == UInt8(ascii: "\\"),
                   json[index + 1] == UInt8(ascii: "u"), let low = hex4(index + 2), (0xDC00..<0xE000).contains(low) {
                    value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                    index += 6
                }
                scalars.append(Unicode.Scalar(value) ?? "\u{FFFD}")
            default:
                scalars.append(Unicode.Scalar(escape))
            }
        }
        return nil
    }

    /// The number of members of the top-level object in `json`, which must already be known to be
    /// valid JSON: the colons at depth 1 outside strings.
    ///
    /// Foundation's decoder keeps the first of duplicate member names while RFC 7515 §4 requires
    /// rejecting duplicates or keeping the last, so callers compare this with the number of
    /// distinct keys the decoder saw.
    static func topLevelMemberCount(_ json: [UInt8]) -> Int {
        var count = 0
        var depth = 0
        var inString = false
        var escaped = false
        for byte in json {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
            case UInt8(ascii: ":") where depth == 1: count += 1
            default: break
            }
        }
        return count
    }
}
