/// A structurally valid compact JWS, not yet verified; see ``CompactJWS/decode(_:)``.
public struct DecodedJWS: Sendable {
    /// The protected header.
    public let header: JWSHeader
    /// The decoded payload bytes.
    public let payload: [UInt8]
    /// The ASCII bytes of `<b64 header>.<b64 payload>`, what the signature covers.
    public let signingInput: [UInt8]
    /// The decoded signature bytes.
    public let signature: [UInt8]

    /// True when one of `keys` verifies the signature. Only keys of the header's algorithm are
    /// tried, and when the header names a `kid`, only keys with that kid: the header chooses among
    /// the keys given, it never widens them.
    public func verify(with keys: [VerificationKey]) -> Bool {
        guard let algorithm = JWSAlgorithm(rawValue: header.alg) else { return false }
        for key in keys where key.algorithm == algorithm && (header.kid == nil || header.kid == key.kid) {
            if key.verify(signature: signature, message: signingInput) { return true }
        }
        return false
    }
}
