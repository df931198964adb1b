import Hummingbird

/// The request context of every route: Hummingbird's core context plus the caller's token.
struct RegistrydContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// Set by ``AuthMiddleware`` from the `Authorization: Bearer` header.
    var principal: Principal?
    /// The client's IP address, which tells anonymous callers apart for rate limits.
    let remoteHost: String?

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.principal = nil
        self.remoteHost = source.channel.remoteAddress?.ipAddress
    }

    /// The caller, who must pass `check`: 401 without a token, 403 with one that does not allow `action`.
    @discardableResult
    func require(_ action: String, _ check: (Principal) -> Bool) throws -> Principal {
        guard let principal else {
            throw APIError(.unauthorized, code: "auth.unauthenticated",
                           "this request needs a bearer token (Authorization: Bearer <token>) that may \(action)")
        }
        guard check(principal) else {
            throw APIError(.forbidden, code: "auth.forbidden", "this token (\(principal.tokenID)) may not \(action)")
        }
        return principal
    }

    /// Requires a token that may read.
    @discardableResult
    func requireQuery() throws -> Principal { try require("query the registry", \.canQuery) }

    /// Requires an admin token.
    @discardableResult
    func requireAdmin() throws -> Principal { try require("do this (admin scope needed)", \.isAdmin) }
}
