/// The JOSE header members this target reads and writes (RFC 7515 §4.1).
public struct JWSHeader: Codable, Sendable, Hashable {
    /// The signature algorithm, `EdDSA` or `ES256` in any decoded token.
    public var alg: String
    /// The id of the signing key, matched against ``VerificationKey/kid``.
    public var kid: String?
    /// The media type of the whole token, such as `JWT`.
    public var typ: String?

    public init(alg: String, kid: String? = nil, typ: String? = nil) {
        self.alg = alg
        self.kid = kid
        self.typ = typ
    }
}
