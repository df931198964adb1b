import Hummingbird

extension Request {
    /// The absolute URL of `path` on this server, as the client addressed it: `https` when the
    /// server has TLS, else `http`, and the authority of the `Host` header.
    ///
    /// The SPARQL endpoints take it as their default base IRI and the Graph Store names the
    /// graphs it identifies directly by it (SPARQL 1.1 Protocol §2.1.4, Graph Store §4.1), so a
    /// `Host` that is not a plain host name (and port) is not used: the listen address is.
    func serverURL(path: String, settings: ServerSettings) -> String {
        let scheme = settings.tls == nil ? "http" : "https"
        return scheme + "://" + Self.authority(head.authority, settings: settings) + path
    }

    private static func authority(_ header: String?, settings: ServerSettings) -> String {
        if let header, !header.isEmpty, header.utf8.count <= 255,
           header.utf8.allSatisfy({ byte in
               (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A)
                   || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ":")
                   || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "]") || byte == UInt8(ascii: "_")
           }) {
            return header.lowercased()
        }
        let host = settings.host.contains(":") ? "[\(settings.host)]" : settings.host
        return "\(host):\(settings.port)"
    }
}
