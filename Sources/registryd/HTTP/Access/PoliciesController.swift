import AccessControl
import AccessService
import Foundation
import HTTPTypes
import Hummingbird
import Registry

/// `/v1/policies`: the policy documents, validated together and applied under one generation.
struct PoliciesController {
    let access: AccessService
    let limits: BodyLimits

    func addRoutes(to router: Router<RegistrydContext>) {
        let group = router.group("v1/policies")
        group.get { _, context in try list(context) }
        group.get(":name") { _, context in try show(context) }
        group.put(":name") { request, context in try await put(request, context) }
        group.delete(":name") { _, context in try await remove(context) }
        router.get("v1/domains") { _, context in try domains(context) }
    }

    private func name(_ context: RegistrydContext) throws -> String {
        let name = try context.parameters.require("name")
        guard !name.isEmpty, name.utf8.count <= 128, name.utf8.allSatisfy({ byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a) || byte == 0x2d || byte == 0x5f || byte == 0x2e
        }), name != ".", name != ".." else {
            throw APIError(.badRequest, code: "policy.invalid_name", "a policy name is 1 to 128 of letters, digits and . _ -")
        }
        return name
    }

    struct Summary: Encodable {
        var generation: Int64
        var policies: [Entry]
        var rules: Int
        var attributes: [String]

        struct Entry: Encodable {
            var name: String
            var bytes: Int
        }
    }

    private func summary(_ set: PolicySet) -> Summary {
        Summary(generation: set.generation, policies: set.documents.map { .init(name: $0.name, bytes: $0.text.utf8.count) },
                rules: set.rules.count + set.limits.count + set.routes.count,
                attributes: set.attributes.map { "\($0.reference) : \($0.type) \($0.source)" })
    }

    private func list(_ context: RegistrydContext) throws -> Response {
        try context.require("read policies (admin or decide scope)", \.mayDecide)
        return try JSONResponse.make(summary(access.policies))
    }

    private func show(_ context: RegistrydContext) throws -> Response {
        try context.require("read policies (admin or decide scope)", \.mayDecide)
        let name = try name(context)
        guard let text = access.documents[name] else { throw AccessServiceError(.notFound, "no policy named `\(name)`") }
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    private func put(_ request: Request, _ context: RegistrydContext) async throws -> Response {
        try context.requireAdmin()
        let name = try name(context)
        var request = request
        let text: String
        if try request.bodyMediaType() == "application/json" {
            struct Envelope: Decodable { var text: String }
            text = try await request.decodeJSON(Envelope.self, limit: limits.policy).text
        } else {
            text = try await request.text(limit: limits.policy)
        }
        guard text.contains(where: { !$0.isWhitespace }) else {
            throw APIError(.badRequest, code: "policy.empty", "the policy document is empty (DELETE /v1/policies/\(name) removes a policy)")
        }
        let set = try await access.setPolicy(name, text: text)
        return try JSONResponse.make(summary(set), index: access.journal.index)
    }

    private func remove(_ context: RegistrydContext) async throws -> Response {
        try context.requireAdmin()
        let set = try await access.setPolicy(try name(context), text: nil)
        return try JSONResponse.make(summary(set), index: access.journal.index)
    }

    private func domains(_ context: RegistrydContext) throws -> Response {
        try context.require("read domains (admin, query or decide scope)") { $0.canQuery || $0.mayDecide }
        struct Body: Encodable {
            var generation: Int64
            var domains: [Domain]
            struct Domain: Encodable {
                var name: String
                var members: [String]
            }
        }
        let set = access.policies
        return try JSONResponse.make(Body(generation: set.generation, domains: set.domains.map { .init(name: $0.name, members: $0.members) }))
    }
}
