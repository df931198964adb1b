import Foundation
import Testing
@testable import JOSE

/// Signing and verifying tokens with generated keys of both algorithms, and what decode refuses.
struct CompactJWSTests {
    static let payload = Array(#"{"sub":"alice","scope":"read"}"#.utf8)

    /// The JOSEError code `body` throws, or nil (recording an issue) when it throws something else or nothing.
    static func code(_ body: () throws -> some Any) -> String? {
        do {
            _ = try body()
            Issue.record("expected a JOSEError")
            return nil
        } catch let error as JOSEError {
            return error.code
        } catch {
            Issue.record("expected a JOSEError, got \(error)")
            return nil
        }
    }

    /// A token whose header is `header` (JSON text) with a valid-looking payload and signature.
    static func token(header: String, signature: [UInt8] = [UInt8](repeating: 1, count: 64)) -> String {
        Base64URL.encode(header.utf8) + "." + Base64URL.encode(payload) + "." + Base64URL.encode(signature)
    }

    @Test(arguments: JWSAlgorithm.allCases)
    func roundTrip(algorithm: JWSAlgorithm) throws {
        let key = try SigningKey.generate(algorithm)
        let token = try CompactJWS.sign(payload: Self.payload, with: key, type: "JWT")
        let decoded = try CompactJWS.decode(token)
        #expect(decoded.header == JWSHeader(alg: algorithm.rawValue, kid: key.kid, typ: "JWT"))
        #expect(decoded.payload == Self.payload)
        #expect(decoded.signature.count == 64)
        #expect(decoded.signingInput == Array(token.split(separator: ".").prefix(2).joined(separator: ".").utf8))
        #expect(decoded.verify(with: [key.publicKey]))
    }

    @Test(arguments: JWSAlgorithm.allCases)
    func headerWithoutType(algorithm: JWSAlgorithm) throws {
        let key = try SigningKey.generate(algorithm)
        let token = try CompactJWS.sign(payload: Self.payload, with: key)
        let header = try #require(Base64URL.decode(token.split(separator: ".")[0]))
        #expect(String(decoding: header, as: UTF8.self) == #"{"alg":"\#(algorithm.rawValue)","kid":"\#(key.kid)"}"#)
        #expect(try CompactJWS.decode(token).header.typ == nil)
    }

    @Test func typeIsEscaped() throws {
        let key = try SigningKey.generate(.edDSA)
        let type = "a\"b\\c\n\u{1}é"
        let decoded = try CompactJWS.decode(CompactJWS.sign(payload: [], with: key, type: type))
        #expect(decoded.header.typ == type)
        #expect(decoded.payload.isEmpty)
        #expect(decoded.verify(with: [key.publicKey]))
    }

    @Test(arguments: JWSAlgorithm.allCases)
    func tamperedPayloadIsRejected(algorithm: JWSAlgorithm) throws {
        let key = try SigningKey.generate(algorithm)
        let parts = try CompactJWS.sign(payload: Self.payload, with: key).split(separator: ".")
        let other = Base64URL.encode(#"{"sub":"admin","scope":"read"}"#.utf8)
        let decoded = try CompactJWS.decode([parts[0], Substring(other), parts[2]].joined(separator: "."))
        #expect(!decoded.verify(with: [key.publicKey]))
    }

    @Test(arguments: JWSAlgorithm.allCases)
    func tamperedSignatureIsRejected(algorithm: JWSAlgorithm) throws {
        let key = try SigningKey.generate(algorithm)
        let decoded = try CompactJWS.decode(CompactJWS.sign(payload: Self.payload, with: key))
        for index in [0, 31, 32, 63] {
            var signature = decoded.signature
            signature[index] ^= 0x01
            #expect(!key.publicKey.verify(signature: signature, message: decoded.signingInput))
        }
        #expect(!key.publicKey.verify(signature: Array(decoded.signature.dropLast()), message: decoded.signingInput))
        #expect(!key.publicKey.verify(signature: decoded.signature + [0], message: decoded.signingInput))
        #expect(!key.publicKey.verify(signature: [UInt8](repeating: 0, count: 64), message: decoded.signingInput))
        #expect(!key.publicKey.verify(signature: [], message: decoded.signingInput))
    }

    @Test(arguments: JWSAlgorithm.allCases)
    func wrongKeyIsRejected(algorithm: JWSAlgorithm) throws {
        let key = try SigningKey.generate(algorithm)
        let other = try SigningKey.generate(algorithm)
        let decoded = try CompactJWS.decode(CompactJWS.sign(payload: Self.payload, with: key))
        #expect(!decoded.verify(with: [other.publicKey]))
        #expect(!other.publicKey.verify(signature: decoded.signature, message: decoded.signingInput))
        #expect(!decoded.verify(with: []))
        #expect(decoded.verify(with: [other.publicKey, key.publicKey]))
    }

    /// The header's kid and alg select among the keys; a key with the right bytes but another kid
    /// or algorithm is not tried.
    @Test func kidAndAlgorithmSelectTheKey() throws {
        let key = try SigningKey.generate(.edDSA)
        let decoded = try CompactJWS.decode(CompactJWS.sign(payload: Self.payload, with: key))
        var jwk = key.publicKey.jwk
        jwk.kid = "another"
        let renamed = try VerificationKey(jwk: jwk)
        #expect(renamed.kid == "another")
        #expect(!decoded.verify(with: [renamed]))

        // Without a kid in the header, any key of the algorithm is tried.
        let parts = try CompactJWS.sign(payload: Self.payload, with: key).split(separator: ".")
        let header = Base64URL.encode(#"{"alg":"EdDSA"}"#.utf8)
        let signingInput = header + "." + parts[1]
        let token = signingInput + "." + Base64URL.encode(try key.sign(Array(signingInput.utf8)))
        #expect(try CompactJWS.decode(token).verify(with: [renamed]))

        // An ES256 header never selects an Ed25519 key.
        let es256 = try SigningKey.generate(.es256)
        let esDecoded = try CompactJWS.decode(CompactJWS.sign(payload: Self.payload, with: es256))
        #expect(!esDecoded.verify(with: [key.publicKey]))
    }

    @Test func algNoneIsRejected() throws {
        #expect(Self.code { try CompactJWS.decode(Self.token(header: #"{"alg":"none"}"#, signature: [])) }
            == JOSEError.unsupportedAlgorithm)
        #expect(Self.code { try CompactJWS.decode(Self.token(header: #"{"alg":"none"}"#)) }
            == JOSEError.unsupportedAlgorithm)
        // The classic unsigned token with an empty third part.
        let unsigned = Base64URL.encode(#"{"alg":"none","typ":"JWT"}"#.utf8) + "." + Base64URL.encode(Self.payload) + "."
        #expect(Self.code { try CompactJWS.decode(unsigned) } == JOSEError.unsupportedAlgorithm)
    }

    @Test(arguments: [#"{"alg":"HS256"}"#, #"{"alg":"RS256"}"#, #"{"alg":"NONE"}"#, #"{"alg":"eddsa"}"#, #"{"alg":""}"#])
    func otherAlgorithmsAreRejected(header: String) {
        #expect(Self.code { try CompactJWS.decode(Self.token(header: header)) } == JOSEError.unsupportedAlgorithm)
    }

    /// Nested objects, colons and escaped quotes inside strings are not mistaken for members.
    @Test func headerMembersInsideStringsAndObjects() throws {
        let header = #"{"alg":"EdDSA","kid":"a:b\"c:","x":{"y":1,"z":[{"w":":"}]},"typ":"JWT"}"#
        #expect(try CompactJWS.decode(Self.token(header: header)).header == JWSHeader(alg: "EdDSA", kid: "a:b\"c:", typ: "JWT"))
    }

    @Test func critIsRejected() {
        let header = #"{"alg":"EdDSA","crit":["exp"],"exp":1}"#
        #expect(Self.code { try CompactJWS.decode(Self.token(header: header)) } == JOSEError.unsupportedHeader)
        #expect(Self.code { try CompactJWS.decode(Self.token(header: #"{"alg":"EdDSA","crit":[]}"#)) }
            == JOSEError.unsupportedHeader)
    }

    @Test(arguments: [
        #"["EdDSA"]"#, #"{}"#, #"{"alg":1}"#, #"{"alg":null}"#, #"{"alg":"EdDSA","kid":5}"#,
        #"{"alg":"EdDSA","typ":true}"#, "not json", "",
        // Duplicate names: Foundation would keep the first, RFC 7515 §4 wants them rejected.
        #"{"alg":"EdDSA","alg":"none"}"#, #"{"alg":"EdDSA","kid":"a","kid":"b"}"#,
        #"{"alg":"EdDSA","\u0061lg":"ES256"}"#,
    ])
    func malformedHeadersAreRejected(header: String) {
        #expect(Self.code { try CompactJWS.decode(Self.token(header: header)) } == JOSEError.malformed)
    }

    @Test func malformedStructureIsRejected() throws {
        let key = try SigningKey.generate(.edDSA)
        let token = try CompactJWS.sign(payload: Self.payload, with: key)
        let parts = token.split(separator: ".").map(String.init)
        for bad in [
            "", ".", "..", "a.b", parts[0] + "." + parts[1], token + ".", token + ".x",
            parts[0] + "=." + parts[1] + "." + parts[2],      // padding
            parts[0] + "." + parts[1] + "!." + parts[2],      // invalid character
            parts[0] + "." + parts[1] + "." + parts[2] + "=", // padded signature
            " " + token, token + "\n",
        ] {
            #expect(Self.code { try CompactJWS.decode(bad) } == JOSEError.malformed, "\(bad)")
        }
    }

    @Test func oversizeTokensAreRejected() throws {
        let key = try SigningKey.generate(.edDSA)
        // A payload whose token is just under the limit still decodes.
        let small = try CompactJWS.sign(payload: [UInt8](repeating: 0x61, count: 40_000), with: key)
        #expect(small.utf8.count <= CompactJWS.maximumTokenSize)
        #expect(try CompactJWS.decode(small).verify(with: [key.publicKey]))

        let large = try CompactJWS.sign(payload: [UInt8](repeating: 0x61, count: 50_000), with: key)
        #expect(large.utf8.count > CompactJWS.maximumTokenSize)
        #expect(Self.code { try CompactJWS.decode(large) } == JOSEError.tooLarge)
    }

    @Test func signingIsSafeFromManyThreads() async throws {
        let keys = try JWSAlgorithm.allCases.map { try SigningKey.generate($0) }
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<200 {
                let key = keys[index % keys.count]
                group.addTask {
                    let token = try CompactJWS.sign(payload: Array("\(index)".utf8), with: key)
                    return try CompactJWS.decode(token).verify(with: [key.publicKey])
                }
            }
            for try await ok in group { #expect(ok) }
        }
    }
}
