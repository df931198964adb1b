import AccessControl
import Foundation
import Hummingbird
import Registry

/// `POST /v1/decisions`: may this subject do this with this API? On permit, a signed binding.
struct DecisionsController {
    let access: AccessService

    func addRoutes(to router: Router<RegistrydContext>) {
        router.post("v1/decisions") { request, context in try await decide(request, context) }
    }

    struct Body: Decodable {
        struct Subject: Decodable {
            var id: String
            var credentials: [String]?
        }

        var subject: Subject
        var api: String
        var action: String
        var context: [String: ClaimValue]?
        var explain: Bool?
    }

    /// The decision as clients see it.
    struct DecisionView: Encodable {
        var decision: Decision.Effect
        var generation: Int64
        var rules: [String]
        var reason: String
        var binding: String?
        var bindingId: String?
        var expires: String?
        var claims: BindingClaims?
        var explanation: Explanation?

        init(_ outcome: AccessService.Outcome) {
            decision = outcome.decision.effect
            generation = outcome.decision.generation
            rules = outcome.decision.rules
            reason = outcome.decision.reason
            binding = outcome.binding
            bindingId = outcome.claims?.jti
            expires = outcome.claims.map { Instant.format(Double($0.exp)) }
            claims = outcome.claims
            explanation = outcome.decision.explanation
        }
    }

    static func action(_ text: String) throws -> Action {
        guard let action = Action(rawValue: text) else {
            throw APIError(.badRequest, code: "decision.invalid_action", "`action`: `\(text)` is not one of call, provide, publish, subscribe, create, destroy")
        }
        return action
    }

    static func checkAPI(_ api: String) throws {
        guard !api.isEmpty, api.utf8.count <= 512, !api.utf8.contains(where: { $0 < 0x21 || $0 == 0x7f }) else {
            throw APIError(.badRequest, code: "decision.invalid_api", "`api`: an API name is 1 to 512 visible characters")
        }
    }

    private func decide(_ request: Request, _ context: RegistrydContext) async throws -> Response {
        try context.require("ask for decisions (decide or admin scope)") { $0.isAdmin || $0.scopes.contains(.decide) }
        var request = request
        let body = try await request.decodeJSON(Body.self, limit: 256 << 10)
        let action = try Self.action(body.action)
        try Self.checkAPI(body.api)
        guard !body.subject.id.isEmpty, body.subject.id.utf8.count <= 256 else {
            throw APIError(.badRequest, code: "decision.invalid_subject", "`subject.id`: 1 to 256 characters")
        }
        guard (body.subject.credentials?.count ?? 0) <= 32 else {
            throw APIError(.badRequest, code: "decision.too_many_credentials", "`subject.credentials`: at most 32")
        }
        let outcome = try access.decide(subject: body.subject.id, credentials: body.subject.credentials ?? [], api: body.api, action: action,
                                        context: body.context ?? [:], explain: body.explain ?? false)
        return try JSONResponse.make(DecisionView(outcome))
    }
}
