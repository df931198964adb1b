import JOSE
import JSON
import Synchronization

/// Checks credentials (compact JWS) against the registered authorities' keys. Verified
/// signatures are remembered, since gateways present the same credential again and again.
public final class CredentialVerifier: Sendable {
    private let keys: [String: [VerificationKey]]
    private let cache = Mutex<[String: VerifiedCredential]>([:])
    private static let cacheLimit = 100_000

    /// Throws when an authority's key is not a usable public key.
    public init(authorities: [Authority]) throws {
        var keys: [String: [VerificationKey]] = [:]
        for authority in authorities {
            keys[authority.name] = try authority.keys.keys.map { try VerificationKey(jwk: $0) }
        }
        self.keys = keys
    }

    public static let none: CredentialVerifier = {
        // An empty directory cannot fail.
        (try? CredentialVerifier(authorities: [])) ?? CredentialVerifier(keys: [:])
    }()

    private init(keys: [String: [VerificationKey]]) {
        self.keys = keys
    }

    public var authorityNames: [String] { keys.keys.sorted() }

    private struct Claims: Decodable {
        var iss: String
        var sub: String
        var exp: Double
        var nbf: Double?
        var attributes: [String: JSONValue]?
    }

    /// The credential's claims when its signature verifies with its issuer's key; otherwise why not.
    public func verify(_ token: String) -> Result<VerifiedCredential, AttributeProblem> {
        if let known = cache.withLock({ $0[token] }) { return .success(known) }
        let decoded: DecodedJWS
        do {
            decoded = try CompactJWS.decode(token)
        } catch {
            return .failure(.refused("a credential is not a valid JWS: \(error)"))
        }
        let claims: Claims
        do {
            // Claims may carry members this registry does not read (`iat`, `jti`, ...).
            claims = try JSONValueDecoder(rejectsUnknownFields: false).decode(Claims.self, from: decoded.payload)
        } catch let error as JSONSyntaxError {
            // The parser refuses a member named twice (RFC 7519 §4), at any depth.
            return .failure(.refused("a credential's claims are not JSON with each member once: \(error.reason)"))
        } catch {
            return .failure(.refused("a credential's claims are malformed (it needs iss, sub, exp and attributes)"))
        }
        if let problem = SubjectIdentifier.problem(claims.sub) {
            return .failure(.refused("a credential's sub is refused: \(problem)"))
        }
        guard let authorityKeys = keys[claims.iss] else {
            return .failure(.refused("the credential's issuer '\(claims.iss)' is not a registered authority"))
        }
        guard decoded.verify(with: authorityKeys) else {
            return .failure(.refused("the credential claiming to be from \(claims.iss) has a signature its keys do not verify (forged)"))
        }
        let credential = VerifiedCredential(issuer: claims.iss, subject: claims.sub, notBefore: claims.nbf, expires: claims.exp,
                                            attributes: claims.attributes ?? [:])
        cache.withLock { cache in
            if cache.count >= Self.cacheLimit { cache.removeAll(keepingCapacity: true) }
            cache[token] = credential
        }
        return .success(credential)
    }
}
