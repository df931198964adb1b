/// The JWS signature algorithms this target signs and verifies (RFC 7518, RFC 8037).
public enum JWSAlgorithm: String, Sendable, Codable, CaseIterable {
    /// Ed25519 (RFC 8037): 64-byte signatures over the message itself.
    case edDSA = "EdDSA"
    /// ECDSA over P-256 with SHA-256 (RFC 7518 §3.4): 64-byte `r || s` signatures.
    case es256 = "ES256"

    /// The JWK `kty` of keys for this algorithm.
    var keyType: String {
        switch self {
        case .edDSA: "OKP"
        case .es256: "EC"
        }
    }

    /// The JWK `crv` of keys for this algorithm.
    var curve: String {
        switch self {
        case .edDSA: "Ed25519"
        case .es256: "P-256"
        }
    }
}
