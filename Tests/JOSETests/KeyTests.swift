import Foundation
import Testing
@testable import JOSE

/// PEM round trips, JWK export and import, and the keys that import refuses.
struct KeyTests {
    /// A P-384 key made with `openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384`.
    static let p384PEM = """
        -----BEGIN PRIVATE KEY-----
        MIG2AgEAMBAGByqGSM49AgEGBSuBBAAiBIGeMIGbAgEBBDCR67bGn7Yy2EofO1rM
        6seaqyWn5kkAKNTKWD8UrIrbxuL12+1dY/xYySGisUrMMruhZANiAAQcwj5lmdUp
        1OsWfev9KM25Yy6uq6Y3L3aeg1Rdf0o9h32G3JMnbTSpo8GZ0QHBnv4SqDlQUcBM
        FXT2V5Xu0RAWMoaHoeTyAmKiKJN8KghuM1IaFqA8bs2n5xjp8hd+gpc=
        -----END PRIVATE KEY-----
        """
    /// An X25519 key (`openssl genpkey -algorithm X25519`): an OKP key that does not sign.
    static let x25519PEM = """
        -----BEGIN PRIVATE KEY-----
        MC4CAQAwBQYDK2VuBCIEIIDsGfIzMIUfk9X/xOEhOgGYrcf/DVTMpAqCJM/zn9JH
        -----END PRIVATE KEY-----
        """

    static func code(_ body: () throws -> some Any) -> String? {
        CompactJWSTests.code(body)
    }

    @Test(arguments: JWSAlgorithm.allCases)
    func pemRoundTrip(algorithm: JWSAlgorithm) throws {
        let key = try SigningKey.generate(algorithm)
        #expect(key.pem.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        #expect(key.pem.hasSuffix("-----END PRIVATE KEY-----\n"))
        let reloaded = try SigningKey(pem: key.pem)
        #expect(reloaded.algorithm == algorithm)
        #expect(reloaded.kid == key.kid)
        #expect(reloaded.pem == key.pem)
        #expect(reloaded.publicKey.jwk == key.publicKey.jwk)
        // The reloaded key signs for the original public key.
        let message = Array("hello".utf8)
        #expect(key.publicKey.verify(signature: try reloaded.sign(message), message: message))
    }

    @Test(arguments: JWSAlgorithm.allCases)
    func jwkExportAndImport(algorithm: JWSAlgorithm) throws {
        let key = try SigningKey.generate(algorithm)
        let jwk = key.publicKey.jwk
        #expect(jwk.kid == key.kid)
        #expect(jwk.alg == algorithm.rawValue)
        #expect(jwk.use == "sig")
        #expect(try Base64URL.decode(#require(jwk.x))?.count == 32)
        #expect(try jwk.y.map { try #require(Base64URL.decode($0)).count } == (algorithm == .es256 ? 32 : nil))

        // Without a kid, import computes the same thumbprint.
        var bare = jwk
        bare.kid = nil
        bare.alg = nil
        bare.use = nil
        let imported = try VerificationKey(jwk: bare)
        #expect(imported.kid == key.kid)
        #expect(imported.jwk == jwk)
        let message = Array("hello".utf8)
        #expect(imported.verify(signature: try key.sign(message), message: message))
    }

    @Test func jwkEncodingOmitsNilMembers() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let okp = JWK(kty: "OKP", crv: "Ed25519", x: "abc")
        #expect(String(decoding: try encoder.encode(okp), as: UTF8.self) == #"{"crv":"Ed25519","kty":"OKP","x":"abc"}"#)
        let set = JWKSet(keys: [okp])
        #expect(String(decoding: try encoder.encode(set), as: UTF8.self) == #"{"keys":[{"crv":"Ed25519","kty":"OKP","x":"abc"}]}"#)
        // A private JWK decodes to its public members only.
        let privateJWK = #"{"kty":"OKP","crv":"Ed25519","x":"abc","d":"secret"}"#
        #expect(try JSONDecoder().decode(JWK.self, from: Data(privateJWK.utf8)) == okp)
    }

    @Test func signaturesHaveJWSSizes() throws {
        for algorithm in JWSAlgorithm.allCases {
            let key = try SigningKey.generate(algorithm)
            for length in [0, 1, 100, 10_000] {
                #expect(try key.sign([UInt8](repeating: 7, count: length)).count == 64)
            }
        }
    }

    @Test func unsupportedPEMKeys() {
        #expect(Self.code { try SigningKey(pem: Self.p384PEM) } == JOSEError.unsupportedAlgorithm)
        #expect(Self.code { try SigningKey(pem: Self.x25519PEM) } == JOSEError.unsupportedAlgorithm)
    }

    @Test func malformedPEM() throws {
        #expect(Self.code { try SigningKey(pem: "") } == JOSEError.malformed)
        #expect(Self.code { try SigningKey(pem: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n") }
            == JOSEError.malformed)
        // A PEM cut short.
        let key = try SigningKey.generate(.edDSA)
        let truncated = String(key.pem.prefix(40))
        #expect(Self.code { try SigningKey(pem: truncated) } == JOSEError.malformed)
    }

    @Test func ed25519SeedMustBe32Bytes() {
        #expect(Self.code { try SigningKey(ed25519Seed: [UInt8](repeating: 1, count: 31)) } == JOSEError.badKey)
    }

    static let x = KnownAnswerTests.p256X
    static let y = KnownAnswerTests.p256Y

    @Test(arguments: [
        // Wrong lengths.
        JWK(kty: "OKP", crv: "Ed25519", x: "AAAA"),
        JWK(kty: "EC", crv: "P-256", x: "AAAA", y: y),
        JWK(kty: "EC", crv: "P-256", x: x, y: String(y.dropLast(3))),
        // Ed25519 encodings that are not curve points: y = 2, y = 7, x = 0 with the sign bit, y = p.
        JWK(kty: "OKP", crv: "Ed25519", x: "AgAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
        JWK(kty: "OKP", crv: "Ed25519", x: "BwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
        JWK(kty: "OKP", crv: "Ed25519", x: "AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAIA"),
        JWK(kty: "OKP", crv: "Ed25519", x: "7f_______________________________________38"),
        // A P-256 point moved off the curve, and coordinates at the field prime.
        JWK(kty: "EC", crv: "P-256", x: x, y: "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a4"),
        JWK(kty: "EC", crv: "P-256", x: "_____wAAAAEAAAAAAAAAAAAAAAD_______________8", y: y),
        JWK(kty: "EC", crv: "P-256", x: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", y: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
        // alg or use that contradict the key.
        JWK(kty: "EC", crv: "P-256", x: x, y: y, alg: "EdDSA"),
        JWK(kty: "EC", crv: "P-256", x: x, y: y, use: "enc"),
    ])
    func badKeys(jwk: JWK) {
        #expect(Self.code { try VerificationKey(jwk: jwk) } == JOSEError.badKey)
    }

    @Test(arguments: [
        JWK(kty: "RSA"),
        JWK(kty: "EC", crv: "P-384", x: x, y: y),
        JWK(kty: "OKP", crv: "X25519", x: KnownAnswerTests.ed25519X),
        JWK(kty: "oct", x: x),
    ])
    func unsupportedKeys(jwk: JWK) {
        #expect(Self.code { try VerificationKey(jwk: jwk) } == JOSEError.unsupportedAlgorithm)
    }

    @Test(arguments: [
        JWK(kty: "OKP", crv: "Ed25519"),
        JWK(kty: "OKP", crv: "Ed25519", x: KnownAnswerTests.ed25519X + "="),
        JWK(kty: "OKP", crv: "Ed25519", x: KnownAnswerTests.ed25519X, y: y),
        JWK(kty: "EC", crv: "P-256", x: x),
        JWK(kty: "EC", crv: "P-256", x: x, y: "+/" + y.dropFirst(2)),
    ])
    func malformedKeys(jwk: JWK) {
        #expect(Self.code { try VerificationKey(jwk: jwk) } == JOSEError.malformed)
    }
}
