/// A private signing key (Ed25519 or P-256), loaded once into OpenSSL and reused for every signature.
///
/// ```swift
/// let key = try SigningKey.generate(.edDSA)
/// let token = try CompactJWS.sign(payload: Array(#"{"sub":"alice"}"#.utf8), with: key)
/// ```
public struct SigningKey: Sendable {
    let key: EVPKey
    /// The algorithm this key signs with.
    public let algorithm: JWSAlgorithm
    /// The RFC 7638 JWK thumbprint (SHA-256, base64url) of the public key.
    public let kid: String
    /// The private key as an unencrypted PKCS#8 PEM document; ``init(pem:)`` reads it back.
    public let pem: String
    /// The public half, for verification and for publishing as a JWK.
    public let publicKey: VerificationKey

    private init(_ key: EVPKey) throws {
        let algorithm = try key.algorithm()
        let (x, y) = try key.publicComponents(algorithm)
        let kid = try JWK.thumbprint(curve: algorithm.curve, keyType: algorithm.keyType, x: x, y: y)
        self.key = key
        self.algorithm = algorithm
        self.kid = kid
        self.pem = try key.pkcs8PEM()
        // A private EVP_PKEY verifies as well as its public half, so the two share one object.
        self.publicKey = VerificationKey(key: key, algorithm: algorithm, kid: kid, x: x, y: y)
    }

    /// A new random key for `algorithm`.
    public static func generate(_ algorithm: JWSAlgorithm) throws -> SigningKey {
        try SigningKey(EVPKey.generate(algorithm))
    }

    /// Reads a PKCS#8 PEM private key (Ed25519 or P-256).
    ///
    /// Throws `jose.malformed` for text that is not an unencrypted private key and
    /// `jose.unsupported_algorithm` for other key types and curves.
    public init(pem: String) throws {
        try self.init(EVPKey.privateKey(pem: pem))
    }

    /// An Ed25519 key from its 32-byte private seed (the `d` of an RFC 8037 JWK), for test vectors
    /// and keys held elsewhere as raw bytes.
    public init(ed25519Seed seed: [UInt8]) throws {
        try self.init(EVPKey.ed25519Private(seed: seed))
    }

    /// The JWS signature of `message`: 64 bytes for Ed25519, and for ES256 the SHA-256 ECDSA
    /// signature as 64 bytes of `r || s` (RFC 7518 §3.4), not DER.
    public func sign(_ message: [UInt8]) throws -> [UInt8] {
        try key.sign(message, algorithm)
    }
}
