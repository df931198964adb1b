import AccessControl
import AccessService
import HTTPTypes
import Hummingbird
import JSON
import Ontology
import Registry

/// `POST /v1/decisions`: may this subject do this with this API? On permit, a signed binding.
struct DecisionsController {
    let access: AccessService
    let limits: BodyLimits

    func addRoutes(to router: Router<RegistrydContext>) {
        router.post("v1/decisions") { request, context in try await decide(request, context) }
    }

    /// A decision request. Decoded by ``JSONValueDecoder`` (Foundation's decoder was a third of
    /// a decision's time over HTTP), which refuses members not declared here. Declaring it costs
    /// about 4% of the daemon's CPU over a hand-written reader (bench/README.md, session 11).
    struct Body: Decodable {
        struct Subject: Decodable {
            var id: String
            var credentials: [String]?
        }

        var subject: Subject
        var api: String
        var action: String
        var context: [String: JSONValue]?
        var explain: Bool?
    }

    /// The decision as clients see it; the claims are the binding's payload, inserted as signed.
    static func render(_ outcome: AccessService.Outcome) throws -> [UInt8] {
        let decision = outcome.decision
        var out = JSONTextWriter(capacity: outcome.binding == nil ? 256 : 2048)
        out.beginObject()
        if let claims = outcome.claims, let binding = outcome.binding {
            out.member("binding", binding)
            out.member("bindingId", claims.jti)
            out.key("claims")
            out.rawValue(try outcome.claimsJSON ?? claims.json)
        }
        out.member("decision", decision.effect.rawValue)
        if let claims = outcome.claims {
            out.member("expires", Timestamp(seconds: Double(claims.exp)).description)
        }
        if let explanation = decision.explanation {
            out.key("explanation")
            out.rawValue(try CompactJSONEncoder.encode(explanation))
        }
        out.member("generation", decision.generation)
        out.member("reason", decision.reason)
        out.member("rules", decision.rules)
        out.endObject()
        return out.bytes + [UInt8(ascii: "\n")]
    }

    /// Each credential costs a signature check: a request carries at most 32.
    static func checkCredentialCount(_ credentials: [String], field: String) throws {
        guard credentials.count <= 32 else {
            throw APIError(.badRequest, code: "decision.too_many_credentials", "`\(field)`: at most 32")
        }
    }

    static func action(_ text: String) throws -> Action {
        guard let action = Action(rawValue: text) else {
            throw APIError(.badRequest, code: "decision.invalid_action", "`action`: `\(text)` is not one of call, provide, publish, subscribe, create, destroy")
        }
        return action
    }

    static func checkAPI(_ api: String) throws {
        if let problem = apiProblem(api) { throw APIError(.badRequest, code: "decision.invalid_api", "`api`: " + problem) }
    }

    /// Why `api` cannot be an API name, or nil when it can. Names are visible ASCII, like
    /// registered names, so that look-alikes (a Kelvin sign for `K`, which Swift's `String`
    /// equality takes for the same letter) never match a pattern; and they have no empty, `.`
    /// or `..` segments, no `%` and no `\`, so that a path a gateway would normalize elsewhere
    /// (`a/../b`, `a/%2e%2e/b`) is never judged under the name it seems to have.
    static func apiProblem(_ api: String) -> String? {
        guard !api.isEmpty, api.utf8.count <= 512, api.utf8.allSatisfy({ (0x21...0x7e).contains($0) }) else {
            return "an API name is 1 to 512 visible ASCII characters"
        }
        guard !api.utf8.contains(UInt8(ascii: "%")), !api.utf8.contains(UInt8(ascii: "\\")) else {
            return "`\(api)` has a `%` or `\\`; API names are not escaped"
        }
        // Servers read these as path parameters, fragments or queries: a name holding one
        // would be judged as one API and served as another (docs/trust.md).
        if let bad = api.first(where: { $0 == ";" || $0 == "#" || $0 == "?" }) {
            return "`\(api)` has a `\(bad)`, which servers read as a parameter, fragment or query"
        }
        let segments = api.split(separator: "/", omittingEmptySubsequences: false)
        guard !segments.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) else {
            return "`\(api)` has an empty, `.` or `..` segment"
        }
        return nil
    }

    private func decide(_ request: Request, _ context: RegistrydContext) async throws -> Response {
        try context.require("ask for decisions (decide or admin scope)", \.mayDecide)
        var request = request
        let body = try await request.decodeJSON(Body.self, limit: limits.decision)
        let action = try Self.action(body.action)
        try Self.checkAPI(body.api)
        let subject = body.subject.id
        guard !subject.isEmpty, subject.utf8.count <= 256 else {
            throw APIError(.badRequest, code: "decision.invalid_subject", "`subject.id`: 1 to 256 characters")
        }
        if let problem = SubjectIdentifier.problem(subject) {
            throw APIError(.badRequest, code: "decision.invalid_subject", "`subject.id`: \(problem)")
        }
        let credentials = body.subject.credentials ?? []
        try Self.checkCredentialCount(credentials, field: "subject.credentials")
        let outcome = try await access.decide(subject: subject, credentials: credentials, api: body.api, action: action,
                                              context: body.context ?? [:], explain: body.explain ?? false)
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try Self.render(outcome))))
    }
}
