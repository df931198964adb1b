import Foundation
import Hummingbird

/// Reads `Authorization: Bearer <token>` into the context's principal. A token that is
/// presented but unknown is refused here (401); a request without one goes on as the
/// anonymous principal (if the daemon grants anonymous scopes) and each route decides.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = RegistrydContext
    let tokens: TokenStore
    /// Scopes for requests without a token (`serve --anonymous-scope`), none by default.
    let anonymousScopes: [Scope]
    /// Scopes of a client that presented a TLS certificate the daemon verified
    /// (`serve --tls-client-ca`), when it sends no token of its own.
    var clientCertificateScopes: [Scope] = []

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let secret = request.headers[.registrydToken] {
            // A gateway's own token, when Authorization carries its client's credential.
            guard let principal = tokens.principal(for: Self.trimmed(secret[...])) else {
                throw APIError(.unauthorized, code: "auth.invalid_token", "the X-Registryd-Token token is not valid")
            }
            context.principal = principal
        } else if let name = request.headers[ConnectionGuard.clientCertificateField] {
            // A gateway known by its certificate: a bearer that is a registry token still wins,
            // anything else in Authorization is its client's credential, for the route to read.
            context.principal = bearerToken(request).flatMap(tokens.principal(for:))
                ?? Principal(tokenID: "cert:" + name, scopes: clientCertificateScopes)
        } else if let header = request.headers[.authorization] {
            guard let secret = Self.bearerSecret(header), let principal = tokens.principal(for: secret) else {
                throw APIError(.unauthorized, code: "auth.invalid_token", "the bearer token is not valid")
            }
            context.principal = principal
        } else if !anonymousScopes.isEmpty {
            context.principal = Principal(tokenID: "anonymous", scopes: anonymousScopes)
        }
        return try await next(request, context)
    }

    private func bearerToken(_ request: Request) -> String? {
        request.headers[.authorization].flatMap(Self.bearerSecret)
    }

    /// The secret of `Bearer <secret>` (scheme in any case, blanks around the secret ignored),
    /// or nil for another scheme. Every request goes through here, so no Foundation.
    static func bearerSecret(_ header: String) -> String? {
        guard let space = header.utf8.firstIndex(of: UInt8(ascii: " ")) else { return nil }
        let scheme = header[..<space]
        guard scheme.utf8.count == 6, zip(scheme.utf8, "bearer".utf8).allSatisfy({ $0 | 0x20 == $1 }) else { return nil }
        return trimmed(header[header.index(after: space)...])
    }

    /// The text without leading and trailing spaces and tabs.
    static func trimmed(_ text: Substring) -> String {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = text.firstIndex(where: { !blank($0) }), let last = text.lastIndex(where: { !blank($0) }) else { return "" }
        return String(text[first...last])
    }
}
