/// `application/x-www-form-urlencoded` decoding (WHATWG URL §5.1): `+` is a space, `%XX` a
/// byte. SPARQL clients send queries this way in URLs and in POST bodies.
enum FormEncoding {
    /// The name-value pairs; a name or value whose bytes are not UTF-8 is a 400
    /// (`request.invalid_utf8`), never decoded lossily into another query.
    static func decode(_ text: Substring) throws -> [(name: String, value: String)] {
        try text.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = unescape(parts[0]), let value = parts.count > 1 ? unescape(parts[1]) : "" else {
                throw APIError(.badRequest, code: "request.invalid_utf8", "a parameter of the request is not valid UTF-8 once %-decoded")
            }
            return (name, value)
        }
    }

    static func unescape(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"):
                bytes.append(0x20)
            case UInt8(ascii: "%"):
                guard let high = iterator.next(), let low = iterator.next(),
                    let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) else {
                    bytes.append(byte)
                    continue
                }
                bytes.append(value)
            default:
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
