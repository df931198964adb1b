import Foundation
import JOSE
import Testing
import AccessControl

/// Inputs found by the libFuzzer targets of `fuzz/` (kept under `Tests/Fuzz/regressions/<target>/`)
/// and hand-written hostile inputs for the policy language, credentials and bindings: each must
/// be refused with the typed error, never crash or hang.
struct FuzzRegressionTests {
    /// The time one input may take, as the fuzzers' `-timeout=10`.
    static let timeLimit = Duration.seconds(10)

    static func regressions(_ target: String) -> [(name: String, bytes: [UInt8])] {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fuzz/regressions/\(target)")
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        return names.sorted().compactMap { name in
            FileManager.default.contents(atPath: folder.appendingPathComponent(name).path).map { (name, Array($0)) }
        }
    }

    /// Compiles a policy text; nil when it compiled, else its error. Fails the test when that took
    /// longer than ``timeLimit``.
    static func policyError(_ label: String, _ text: String) -> PolicyError? {
        var thrown: PolicyError?
        let elapsed = ContinuousClock().measure {
            do throws(PolicyError) { _ = try PolicySet.compile([PolicyDocument(name: "fuzz.policy", text: text)]) } catch { thrown = error }
        }
        #expect(elapsed < timeLimit, "\(label) took \(elapsed)")
        return thrown
    }

    @Test func policyRegressionsAreRefused() throws {
        let inputs = Self.regressions("policy")
        // The nesting found by fuzzing: parentheses, `not` and `Set<...>` nested past any stack.
        #expect(inputs.count >= 3)
        for input in inputs {
            let error = Self.policyError("policy/\(input.name)", String(decoding: input.bytes, as: UTF8.self))
            #expect(error?.code == "policy.syntax", "policy/\(input.name): \(String(describing: error))")
        }
    }

    @Test func hostilePoliciesAreRefused() {
        let depth = 100_000
        let inputs: [(String, String)] = [
            ("nested parentheses", #"permit call on "a/b" when "# + String(repeating: "(", count: depth) + "true" + String(repeating: ")", count: depth)),
            ("nested not", #"permit call on "a/b" when "# + String(repeating: "not ", count: depth) + "true"),
            ("nested set type", "attribute subject.tags : " + String(repeating: "Set<", count: depth) + "String" + String(repeating: ">", count: depth) + " from request;"),
            ("huge number", #"limit call on "a/b" to "# + String(repeating: "9", count: 1000) + " per second burst 1e999999"),
            ("invalid UTF-8", String(decoding: Array(#"permit call on "a/"#.utf8) + [0xFF, 0xED, 0xA0, 0x80] + Array("\" when".utf8), as: UTF8.self)),
        ]
        for (label, text) in inputs {
            let error = Self.policyError(label, text)
            #expect(error != nil, "\(label) compiled")
        }
        // Nesting within the limit still compiles.
        let nested = "attribute context.emergency : Boolean;\nr: permit call on \"a/b\" when "
            + String(repeating: "not (", count: 90) + "context.emergency == true" + String(repeating: ")", count: 90) + ";"
        #expect(Self.policyError("90 levels", nested) == nil)
    }

    static let authorityKey = try! SigningKey(ed25519Seed: Array(0..<32))
    static let bindingKey = try! SigningKey(ed25519Seed: Array(32..<64))

    /// Feeds a token to the three entry points; the decoder may only throw ``JOSEError``.
    static func check(_ label: String, _ token: String) -> (decoded: Bool, credential: Bool, binding: Bool) {
        var decoded = false, credential = false, binding = false
        let elapsed = ContinuousClock().measure {
            do {
                _ = try CompactJWS.decode(token)
                decoded = true
            } catch {
                #expect(error is JOSEError, "\(label): untyped error \(error)")
            }
            let verifier = try! CredentialVerifier(authorities: [
                Authority(name: "authority.example", keys: JWKSet(keys: [authorityKey.publicKey.jwk]))
            ])
            if case .success = verifier.verify(token) { credential = true }
            binding = BindingClaims.verified(token, keys: [bindingKey.publicKey]) != nil
        }
        #expect(elapsed < timeLimit, "\(label) took \(elapsed)")
        return (decoded, credential, binding)
    }

    @Test func credentialRegressionsAndHostileTokensAreRefused() throws {
        for input in Self.regressions("credentials") {
            _ = Self.check("credentials/\(input.name)", String(decoding: input.bytes, as: UTF8.self))
        }
        func signed(_ payload: String, _ key: SigningKey) throws -> String {
            try CompactJWS.sign(payload: Array(payload.utf8), with: key, type: "JWT")
        }
        let depth = 100_000
        let hostile: [(String, String)] = [
            ("nested arrays", try signed(#"{"iss":"authority.example","sub":"a","exp":1e300,"attributes":{"x":"# + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}}", Self.authorityKey)),
            ("huge numbers", try signed(#"{"iss":"authority.example","sub":"a","exp":1e999999,"attributes":{"x":"# + String(repeating: "9", count: 10_000) + "}}", Self.authorityKey)),
            ("invalid UTF-8", try CompactJWS.sign(payload: Array(#"{"iss":"authority.example","sub":""#.utf8) + [0xFF, 0xC0] + Array(#"","exp":1}"#.utf8), with: Self.authorityKey)),
            ("binding with nested constraints", try signed(#"{"constraints":"# + String(repeating: #"{"a":"#, count: depth) + "1" + String(repeating: "}", count: depth) + "}", Self.bindingKey)),
            ("too many dots", String(repeating: ".", count: depth)),
            ("oversized", String(repeating: "A", count: CompactJWS.maximumTokenSize + 1)),
        ]
        for (label, token) in hostile {
            let outcome = Self.check(label, token)
            #expect(!outcome.credential && !outcome.binding, "\(label) was accepted")
        }
        // A well-formed credential signed by the authority is accepted, so the refusals above are
        // the inputs' doing.
        let valid = try signed(#"{"iss":"authority.example","sub":"alice","exp":4102444800,"attributes":{"role":"Nurse"}}"#, Self.authorityKey)
        #expect(Self.check("valid credential", valid).credential)
    }
}
