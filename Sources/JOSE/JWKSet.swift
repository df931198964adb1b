/// A JWK Set (RFC 7517 §5), the document served at a JWKS endpoint.
public struct JWKSet: Codable, Sendable, Hashable {
    /// The keys, newest first when made by ``KeyRing``.
    public var keys: [JWK]

    public init(keys: [JWK]) {
        self.keys = keys
    }
}
