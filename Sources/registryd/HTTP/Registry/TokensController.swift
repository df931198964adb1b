import Foundation
import Hummingbird
import JSON
import Registry

/// `/v1/tokens` (admin): create, list and revoke bearer tokens.
struct TokensController {
    let tokens: TokenStore
    let limits: BodyLimits

    func addRoutes(to router: Router<RegistrydContext>) {
        router.post("v1/tokens") { request, context in try await create(request, context) }
        router.get("v1/tokens") { _, context in try list(context) }
        router.delete("v1/tokens/:id") { _, context in try await revoke(context) }
    }

    struct TokenView: Encodable {
        var id: String
        var scopes: [String]
        var description: String?
        var created: String
        /// The secret, only in the answer that creates the token.
        var token: String?
    }

    private func create(_ request: Request, _ context: RegistrydContext) async throws -> Response {
        try context.requireAdmin()
        struct Body: Decodable {
            var scopes: [String]
            var description: String?
        }
        var request = request
        let body = try await request.decodeJSON(Body.self, limit: limits.control)
        let usage = #"the body must be {"scopes": ["admin" | "query" | "decide" | "register:<name prefix>", ...], "description": "..."}"#
        guard !body.scopes.isEmpty else { throw APIError(.badRequest, code: "request.invalid", "`scopes`: at least one; " + usage) }
        let scopes = try body.scopes.map { text in
            guard let scope = Scope(text) else { throw APIError(.badRequest, code: "auth.invalid_scope", "`\(text)` is not a scope; " + usage) }
            return scope
        }
        let (record, secret) = try await tokens.create(scopes: scopes, description: body.description.map { String($0.prefix(256)) })
        return try JSONResponse.make(TokenView(id: record.id, scopes: record.scopes, description: record.description,
                                               created: JSONResponse.time(record.created), token: secret), status: .created)
    }

    private func list(_ context: RegistrydContext) throws -> Response {
        try context.requireAdmin()
        let views = tokens.all.map { TokenView(id: $0.id, scopes: $0.scopes, description: $0.description, created: JSONResponse.time($0.created)) }
        return try JSONResponse.make(["tokens": views])
    }

    private func revoke(_ context: RegistrydContext) async throws -> Response {
        let caller = try context.requireAdmin()
        let id = try context.parameters.require("id")
        // As Consul does: a token cannot revoke itself, so the last admin cannot lock everyone out.
        guard id != caller.tokenID else {
            throw RegistryError(.conflict, "token `\(id)` is the one making this request; revoke it with another admin token")
        }
        guard try await tokens.revoke(id: id) else { throw RegistryError(.notFound, "no token `\(id)`") }
        return try JSONResponse.make(["revoked": id])
    }
}
