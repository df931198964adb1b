import Testing
@testable import JOSE

/// External test vectors: RFC 8037 Appendix A (Ed25519), RFC 7515 Appendix A.3 (ES256), and a
/// P-256 thumbprint computed independently with the `openssl` command line.
struct KnownAnswerTests {
    // RFC 8037 A.1
    static let ed25519D = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"
    static let ed25519X = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
    // RFC 8037 A.4
    static let ed25519SigningInput = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc"
    static let ed25519Signature = "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg"

    // RFC 7515 A.3
    static let p256X = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"
    static let p256Y = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"
    static let es256Token = "eyJhbGciOiJFUzI1NiJ9"
        + ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
        + ".DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q"
    /// The RFC 7515 A.3 private key (d = jpsQnnGQ…) as PKCS#8, converted with Python `cryptography`.
    static let p256PEM = """
        -----BEGIN PRIVATE KEY-----
        MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgjpsQnnGQmL+YBIff
        H1136cspYG6+0iY7X1fCE9+E9LKhRANCAAR/zc4ncPbEXUGDy+5v20t7WAczNXvp
        7xO6z248e9FURcfxRM0bvZt+hyzf7bnuufSzaV1uqQskrYpGIyiFiOWt
        -----END PRIVATE KEY-----

        """
    /// SHA-256 of {"crv":"P-256","kty":"EC","x":"f83O…","y":"x_FE…"} via `openssl dgst -sha256`.
    static let p256Thumbprint = "oKIywvGUpTVTyxMQ3bwIIeQUudfr_CkLMjCE19ECD-U"

    static func bytes(_ text: String) throws -> [UInt8] {
        try #require(Base64URL.decode(text))
    }

    @Test func rfc8037PublicKeyFromPrivate() throws {
        let key = try SigningKey(ed25519Seed: Self.bytes(Self.ed25519D))
        #expect(key.algorithm == .edDSA)
        #expect(key.publicKey.jwk.x == Self.ed25519X)
        #expect(key.publicKey.jwk.kty == "OKP")
        #expect(key.publicKey.jwk.crv == "Ed25519")
    }

    /// RFC 8037 A.3 gives the thumbprint of the A.2 public key.
    @Test func rfc8037Thumbprint() throws {
        let key = try SigningKey(ed25519Seed: Self.bytes(Self.ed25519D))
        #expect(key.kid == "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k")
        let imported = try VerificationKey(jwk: JWK(kty: "OKP", crv: "Ed25519", x: Self.ed25519X))
        #expect(imported.kid == "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k")
    }

    /// Ed25519 is deterministic, so signing the RFC's input must give the RFC's signature byte for byte.
    @Test func rfc8037Signature() throws {
        let key = try SigningKey(ed25519Seed: Self.bytes(Self.ed25519D))
        let signature = try key.sign(Array(Self.ed25519SigningInput.utf8))
        #expect(Base64URL.encode(signature) == Self.ed25519Signature)
    }

    @Test func rfc8037TokenVerifies() throws {
        let token = Self.ed25519SigningInput + "." + Self.ed25519Signature
        let decoded = try CompactJWS.decode(token)
        #expect(decoded.header == JWSHeader(alg: "EdDSA"))
        #expect(decoded.payload == Array("Example of Ed25519 signing".utf8))
        #expect(decoded.signingInput == Array(Self.ed25519SigningInput.utf8))
        let key = try VerificationKey(jwk: JWK(kty: "OKP", crv: "Ed25519", x: Self.ed25519X))
        #expect(decoded.verify(with: [key]))
    }

    /// ES256 signatures are randomized, so the vector is checked by verification: it proves the
    /// r || s conversion and the JWK import agree with another implementation.
    @Test func rfc7515ES256TokenVerifies() throws {
        let decoded = try CompactJWS.decode(Self.es256Token)
        #expect(decoded.header.alg == "ES256")
        #expect(String(decoding: decoded.payload, as: UTF8.self).hasPrefix(#"{"iss":"joe","#))
        let key = try VerificationKey(jwk: JWK(kty: "EC", crv: "P-256", x: Self.p256X, y: Self.p256Y))
        #expect(key.kid == Self.p256Thumbprint)
        #expect(decoded.verify(with: [key]))

        var tampered = decoded.signature
        tampered[10] ^= 1
        #expect(!key.verify(signature: tampered, message: decoded.signingInput))
    }

    @Test func p256ThumbprintFromPEM() throws {
        let key = try SigningKey(pem: Self.p256PEM)
        #expect(key.algorithm == .es256)
        #expect(key.kid == Self.p256Thumbprint)
        #expect(key.publicKey.jwk.x == Self.p256X)
        #expect(key.publicKey.jwk.y == Self.p256Y)
        // Signatures by the RFC key verify under the RFC's public JWK.
        let token = try CompactJWS.sign(payload: Array("{}".utf8), with: key)
        let rfcKey = try VerificationKey(jwk: JWK(kty: "EC", crv: "P-256", x: Self.p256X, y: Self.p256Y))
        #expect(try CompactJWS.decode(token).verify(with: [rfcKey]))
    }
}
