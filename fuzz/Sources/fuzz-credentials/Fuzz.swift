import AccessControl
import FuzzSupport
import JOSE

/// Credentials and bindings: `CompactJWS.decode`, `CredentialVerifier.verify` against one fixed
/// authority key, and `BindingClaims.verified`. Each input is used twice: as a token as received
/// (structure, base64url, header JSON, claims JSON before the signature check), and as the
/// payload of a token signed with the fixed key, so the claims decoders behind a valid
/// signature see fuzzed JSON too.
let authorityKey = try! SigningKey(ed25519Seed: Array(0..<32))
let bindingKey = try! SigningKey(ed25519Seed: Array(32..<64))
let authorityName = "authority.example"

@main
enum Target {
    static func main() {
        Fuzzer.run { bytes in
            check(String(decoding: bytes, as: UTF8.self))
            if bytes.count <= 16 * 1024 {
                for key in [authorityKey, bindingKey] {
                    check(try! CompactJWS.sign(payload: Array(bytes), with: key, type: "JWT"))
                }
            }
        }
    }
}

func check(_ token: String) {
    Fuzzer.expectingOnly(JOSEError.self, from: "CompactJWS.decode") {
        _ = try CompactJWS.decode(token).verify(with: [authorityKey.publicKey, bindingKey.publicKey])
    }
    // A fresh verifier each time, so its cache of verified tokens keeps runs reproducible.
    let verifier = try! CredentialVerifier(authorities: [
        Authority(name: authorityName, keys: JWKSet(keys: [authorityKey.publicKey.jwk]))
    ])
    switch verifier.verify(token) {
    case .success(let credential): _ = String(describing: credential)
    case .failure(let problem): _ = problem.description
    }
    if let claims = BindingClaims.verified(token, keys: [bindingKey.publicKey]) {
        _ = claims.json
    }
}

