import Hummingbird

extension MediaType {
    /// The media type a `Content-Type` header names, read with Hummingbird's parser:
    /// `type/subtype`, lower-cased, parameters dropped; nil when the header is absent or blank.
    /// Every route that looks at a body's type (and pull registration, at a fetched one) reads
    /// it here.
    /// - Throws: 415 `request.media_type` for a header that is not a media type.
    static func bodyType(_ header: String?) throws -> String? {
        guard let header else { return nil }
        let text = header.trimmingCharacters(" \t")
        if text.isEmpty { return nil }
        guard let type = MediaType(from: text) else {
            throw APIError(.unsupportedMediaType, code: "request.media_type", "`Content-Type: \(header)` is not a media type")
        }
        return "\(type.type)/\(type.subType)"
    }
}

extension Request {
    /// The body's media type (``MediaType/bodyType(_:)``).
    func bodyMediaType() throws -> String? {
        try MediaType.bodyType(headers[.contentType])
    }
}
