import Hummingbird

extension MediaType {
    /// The media type a `Content-Type` header names, read with Hummingbird's parser (type and
    /// subtype lower-cased); nil when the header is absent or blank. Every route that looks at a
    /// body's type (and pull registration, at a fetched one) reads it here.
    ///
    /// Every body registryd reads is UTF-8 (JSON, SPARQL, Turtle, the policy language), so a
    /// `charset` other than UTF-8 (or its subset US-ASCII) is refused rather than read as
    /// something it is not (SPARQL 1.1 Protocol §2.1.2, §2.2.2).
    /// - Throws: 415 `request.media_type` for a header that is not a media type, 415
    ///   `request.charset` for another charset.
    static func body(_ header: String?) throws -> MediaType? {
        guard let header else { return nil }
        let text = header.trimmingCharacters(" \t")
        if text.isEmpty { return nil }
        guard let type = MediaType(from: text) else {
            throw APIError(.unsupportedMediaType, code: "request.media_type", "`Content-Type: \(header)` is not a media type")
        }
        if let parameter = type.parameter, parameter.name.lowercased() == "charset" {
            // Hummingbird keeps one parameter and reads it to the end of the header.
            let charset = parameter.value.prefix { $0 != ";" }.trimmingCharacters(" \t\"").lowercased()
            guard ["utf-8", "utf8", "us-ascii"].contains(charset) else {
                throw APIError(.unsupportedMediaType, code: "request.charset",
                               "`charset=\(charset)`: registryd reads request bodies as UTF-8 only")
            }
        }
        return type
    }

    /// The `type/subtype` of ``body(_:)``, without parameters.
    static func bodyType(_ header: String?) throws -> String? {
        try body(header).map { "\($0.type)/\($0.subType)" }
    }
}

extension Request {
    /// The body's media type (``MediaType/bodyType(_:)``).
    func bodyMediaType() throws -> String? {
        try MediaType.bodyType(headers[.contentType])
    }
}
