/// The API name of an original request's path, for the gateway adapter.
///
/// The name is judged as text, while the upstream server interprets the path by its own rules:
/// Tomcat and Spring drop `;params` from segments, some servers decode `%2F` into a separator
/// or resolve `..` after the proxy's check. A path on which two servers could disagree is
/// refused rather than judged, so that a `forbid` on `shop.example/Admin/**` cannot be walked
/// around with `/shop.example/Admin;x=1/delete` or `/shop.example/Public/../Admin/delete`.
enum GatewayPath {
    /// The name for `uri` (path and query, as nginx's `$request_uri`), with `prefix` removed
    /// from the front, or why the path is refused.
    static func apiName(uri: String, prefix: String?) -> Result<String, GatewayPathError> {
        let raw = Substring(uri.prefix { $0 != "?" })
        if let bad = raw.first(where: { $0 == ";" || $0 == "#" || $0 == "\\" }) {
            return .failure(GatewayPathError("the path has `\(bad)`, which servers read differently: refused"))
        }
        guard let decoded = percentDecoded(raw) else {
            return .failure(GatewayPathError("the path has an invalid or ambiguous %-escape (of `/`, `.`, `\\`, `;`, `#`, `%`, a control character, or not UTF-8): refused"))
        }
        var path = Substring(decoded)
        if let prefix, !prefix.isEmpty, path.hasPrefix(prefix) { path = path.dropFirst(prefix.count) }
        guard path.first == "/" else { return .failure(GatewayPathError("the path must start with `/`")) }
        let segments = path.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        for segment in segments {
            if segment.isEmpty { return .failure(GatewayPathError("the path has an empty segment: refused")) }
            if segment == "." || segment == ".." { return .failure(GatewayPathError("the path has a `\(segment)` segment: refused")) }
        }
        return .success(segments.joined(separator: "/"))
    }

    /// The path with `%XX` escapes decoded, or nil when one is malformed, decodes to a
    /// character that changes how the path splits or resolves, or the result is not UTF-8.
    static func percentDecoded(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                if byte < 0x20 || byte == 0x7F { return nil }
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
            let decoded = high << 4 | low
            if decoded < 0x20 || decoded == 0x7F || "/.\\;#%".utf8.contains(decoded) { return nil }
            bytes.append(decoded)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// Why a gateway path is refused.
struct GatewayPathError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
