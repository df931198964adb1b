/// A public key that verifies JWS signatures, made from a JWK or taken from a ``SigningKey``.
public struct VerificationKey: Sendable {
    let key: EVPKey
    /// The algorithm this key verifies.
    public let algorithm: JWSAlgorithm
    /// The key id: the input JWK's `kid` when it had one, otherwise the RFC 7638 thumbprint.
    public let kid: String
    /// The public JWK, with `kid`, `alg` and `use: "sig"` filled in.
    public let jwk: JWK

    init(key: EVPKey, algorithm: JWSAlgorithm, kid: String, x: [UInt8], y: [UInt8]?) {
        self.key = key
        self.algorithm = algorithm
        self.kid = kid
        self.jwk = JWK(kty: algorithm.keyType, crv: algorithm.curve, x: Base64URL.encode(x),
                       y: y.map { Base64URL.encode($0) }, kid: kid, alg: algorithm.rawValue, use: "sig")
    }

    /// Imports an `OKP`/`Ed25519` or `EC`/`P-256` public JWK.
    ///
    /// Checks the coordinate lengths and that the point is on the curve (`jose.bad_key`), and that
    /// `alg` and `use`, when present, agree with the key (`jose.bad_key`). Other key types and
    /// curves throw `jose.unsupported_algorithm`; missing or non-base64url members `jose.malformed`.
    public init(jwk: JWK) throws {
        let algorithm: JWSAlgorithm
        switch (jwk.kty, jwk.crv) {
        case ("OKP", "Ed25519"): algorithm = .edDSA
        case ("EC", "P-256"): algorithm = .es256
        default:
            throw JOSEError.unsupportedAlgorithm(
                "unsupported JWK key type \(jwk.kty) with curve \(jwk.crv ?? "(none)"); expected OKP/Ed25519 or EC/P-256")
        }
        if let alg = jwk.alg, alg != algorithm.rawValue {
            throw JOSEError.badKey("JWK alg \(alg) does not match a \(algorithm.curve) key")
        }
        if let use = jwk.use, use != "sig" {
            throw JOSEError.badKey("JWK use is \(use), not sig")
        }
        guard let xText = jwk.x else { throw JOSEError.malformed("JWK has no x") }
        guard let x = Base64URL.decode(xText) else { throw JOSEError.malformed("JWK x is not base64url") }

        let key: EVPKey
        let y: [UInt8]?
        switch algorithm {
        case .edDSA:
            guard jwk.y == nil else { throw JOSEError.malformed("an OKP JWK has no y") }
            key = try EVPKey.ed25519Public(x)
            y = nil
        case .es256:
            guard let yText = jwk.y else { throw JOSEError.malformed("EC JWK has no y") }
            guard let yBytes = Base64URL.decode(yText) else { throw JOSEError.malformed("JWK y is not base64url") }
            key = try EVPKey.p256Public(x: x, y: yBytes)
            y = yBytes
        }
        let kid = try jwk.kid ?? JWK.thumbprint(curve: algorithm.curve, keyType: algorithm.keyType, x: x, y: y)
        self.init(key: key, algorithm: algorithm, kid: kid, x: x, y: y)
    }

    /// Whether `signature` (64 bytes in JWS form) is this key's signature of `message`.
    public func verify(signature: [UInt8], message: [UInt8]) -> Bool {
        key.verify(signature: signature, message: message, algorithm)
    }
}
