import Foundation
import Hummingbird
import Registry

/// `/v1/tokens` (admin): create, list and revoke bearer tokens.
struct TokensController {
    let tokens: TokenStore

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
        var request = request
        var buffer = try await request.collectBody(limit: 16 << 10)
        let json = try JSONValue.parse(Data(buffer.readBytes(length: buffer.readableBytes) ?? []))
        let usage = #"the body must be {"scopes": ["admin" | "query" | "decide" | "register:<name prefix>", ...], "description": "..."}"#
        guard case .object(let fields) = json, Set(fields.keys).isSubset(of: ["scopes", "description"]),
              case .array(let list)? = fields["scopes"], !list.isEmpty else {
            throw APIError(.badRequest, code: "request.invalid", usage)
        }
        var scopes: [Scope] = []
        for item in list {
            guard case .string(let text) = item, let scope = Scope(text) else {
                throw APIError(.badRequest, code: "auth.invalid_scope", "\(item.jsonText) is not a scope; " + usage)
            }
            scopes.append(scope)
        }
        var description: String?
        switch fields["description"] {
        case .string(let text)?: description = String(text.prefix(256))
        case nil, .null?: break
        default: throw APIError(.badRequest, code: "request.invalid", "`description` must be a string; " + usage)
        }
        let (record, secret) = try await tokens.create(scopes: scopes, description: description)
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
