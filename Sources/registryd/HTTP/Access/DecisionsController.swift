import AccessControl
import AccessService
import Foundation
import HTTPTypes
import Hummingbird
import Ontology
import Registry

/// `POST /v1/decisions`: may this subject do this with this API? On permit, a signed binding.
struct DecisionsController {
    let access: AccessService

    func addRoutes(to router: Router<RegistrydContext>) {
        router.post("v1/decisions") { request, context in try await decide(request, context) }
    }

    /// A decision request, read with the registry's JSON parser (Foundation's decoder was a
    /// third of a decision's time over HTTP).
    struct Body {
        var subject: String
        var credentials: [String]
        var api: String
        var action: String
        var context: [String: ClaimValue]
        var explain: Bool

        static let fields: Set<String> = ["subject", "api", "action", "context", "explain"]

        init(_ bytes: [UInt8]) throws {
            let json: JSONValue
            do { json = try JSONValue.parse(bytes) } catch let error as RegistryError {
                throw APIError(.badRequest, code: "request.malformed_json", error.message)
            }
            func bad(_ message: String) -> APIError { APIError(.badRequest, code: "request.malformed_json", message) }
            guard case .object(let members) = json else { throw bad("the body must be a JSON object") }
            if let unknown = members.keys.sorted().first(where: { !Self.fields.contains($0) }) { throw bad("`\(unknown)`: unknown field") }
            guard case .object(let subject)? = members["subject"] else { throw bad("`subject`: required, an object with `id`") }
            if let unknown = subject.keys.sorted().first(where: { $0 != "id" && $0 != "credentials" }) { throw bad("`subject.\(unknown)`: unknown field") }
            guard case .string(let id)? = subject["id"] else { throw bad("`subject.id`: required, a string") }
            self.subject = id
            switch subject["credentials"] {
            case nil, .null?: credentials = []
            case .array(let items)?:
                credentials = try items.map { item in
                    guard case .string(let token) = item else { throw bad("`subject.credentials`: expected strings (compact JWS)") }
                    return token
                }
            default: throw bad("`subject.credentials`: expected an array of strings")
            }
            guard case .string(let api)? = members["api"] else { throw bad("`api`: required, a string") }
            guard case .string(let action)? = members["action"] else { throw bad("`action`: required, a string") }
            self.api = api
            self.action = action
            switch members["context"] {
            case nil, .null?: context = [:]
            case .object(let fields)?: context = fields.mapValues(Self.claim)
            default: throw bad("`context`: expected an object")
            }
            switch members["explain"] {
            case nil, .null?: explain = false
            case .bool(let flag)?: explain = flag
            default: throw bad("`explain`: expected true or false")
            }
        }

        static func claim(_ value: JSONValue) -> ClaimValue {
            switch value {
            case .null: .null
            case .bool(let flag): .bool(flag)
            case .number(let number): .number(number)
            case .string(let text): .string(text)
            case .array(let items): .array(items.map(claim))
            case .object(let fields): .object(fields.mapValues(claim))
            }
        }
    }

    /// The decision as clients see it, written by hand; the claims are the binding's payload.
    static func render(_ outcome: AccessService.Outcome) throws -> String {
        let decision = outcome.decision
        // Appended piece by piece into one buffer: every decision is answered through here.
        var out = "{"
        out.reserveCapacity(outcome.binding == nil ? 256 : 2048)
        if let claims = outcome.claims, let binding = outcome.binding {
            out.append(#""binding":"#)
            out.append(JSONEscaping.quoted(binding))
            out.append(#","bindingId":"#)
            out.append(JSONEscaping.quoted(claims.jti))
            out.append(#","claims":"#)
            out.append(outcome.claimsJSON ?? claims.json)
            out.append(",")
        }
        out.append(#""decision":"#)
        out.append(JSONEscaping.quoted(decision.effect.rawValue))
        if let claims = outcome.claims {
            out.append(#","expires":"#)
            out.append(JSONEscaping.quoted(Instant.format(Double(claims.exp))))
        }
        if let explanation = decision.explanation {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            out.append(#","explanation":"#)
            out.append(String(decoding: try encoder.encode(explanation), as: UTF8.self))
        }
        out.append(#","generation":"#)
        out.append(String(decision.generation))
        out.append(#","reason":"#)
        out.append(JSONEscaping.quoted(decision.reason))
        out.append(#","rules":["#)
        for (index, rule) in decision.rules.enumerated() {
            if index > 0 { out.append(",") }
            out.append(JSONEscaping.quoted(rule))
        }
        out.append("]}\n")
        return out
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
        var buffer = try await request.collectBody(limit: 256 << 10)
        let body = try Body(buffer.readBytes(length: buffer.readableBytes) ?? [])
        let action = try Self.action(body.action)
        try Self.checkAPI(body.api)
        guard !body.subject.isEmpty, body.subject.utf8.count <= 256 else {
            throw APIError(.badRequest, code: "decision.invalid_subject", "`subject.id`: 1 to 256 characters")
        }
        if let problem = SubjectIdentifier.problem(body.subject) {
            throw APIError(.badRequest, code: "decision.invalid_subject", "`subject.id`: \(problem)")
        }
        guard body.credentials.count <= 32 else {
            throw APIError(.badRequest, code: "decision.too_many_credentials", "`subject.credentials`: at most 32")
        }
        let outcome = try await access.decide(subject: body.subject, credentials: body.credentials, api: body.api, action: action,
                                        context: body.context, explain: body.explain)
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: try Self.render(outcome))))
    }
}
