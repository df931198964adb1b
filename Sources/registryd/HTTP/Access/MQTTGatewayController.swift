import AccessControl
import AccessService
import HTTPTypes
import Hummingbird
import JSON
import Registry

/// `POST /v1/gateway/mqtt`: the adapter of MQTT brokers (`gateways/mosquitto`). The broker
/// sends what its client presented and the topic; registryd maps the topic to the event
/// channels whose manifests serve it (``Registry/channels(servingTopic:)``) and decides for
/// each, so that the topic rule and the decision exist once, here, for every broker.
///
/// - `connect`: do the credentials (the CONNECT password) verify? 200 with the subject, 401
///   otherwise.
/// - `publish` on a topic name, `subscribe` on a topic name or filter: 200 with `decision`.
///   A topic name is permitted when every channel it reaches permits (a tenant that serves a
///   channel on someone else's topic opens nothing); a filter with wildcards when any channel
///   it reaches permits: the broker then judges each message it delivers by its concrete topic.
///   No channel: `known` false, and the broker applies its default for unknown topics.
struct MQTTGatewayController {
    let access: AccessService
    let registry: Registry
    let limits: BodyLimits

    func addRoutes(to router: Router<RegistrydContext>) {
        router.post("v1/gateway/mqtt") { request, context in try await judge(request, context) }
    }

    struct Body: Decodable {
        /// `connect`, `publish` or `subscribe`.
        var action: String
        /// What the client presented: registryd subject credentials (JWTs of authorities).
        var credentials: [String]
        var topic: String?
        /// The broker's client id, for the decision's context and the logs.
        var client: String?
    }

    struct ChannelAnswer: Encodable {
        var api: String
        var topic: String
        var decision: String
        var reason: String
        var binding: String?
        var bindingId: String?
        var exp: Int?
    }

    struct Answer: Encodable {
        var decision: String
        var subject: String
        var reason: String
        var known: Bool
        var channels: [ChannelAnswer]
        /// The tightest limits of the channels that permit; nil members are unlimited.
        var limits: Constraints?
        /// When the answer stops holding: the earliest expiry of its bindings or credentials.
        var exp: Int
    }

    private func judge(_ request: Request, _ context: RegistrydContext) async throws -> Response {
        try context.require("authorize broker requests (decide scope)", \.mayDecide)
        var request = request
        let body = try await request.decodeJSON(Body.self, limit: limits.decision)
        try DecisionsController.checkCredentialCount(body.credentials, field: "credentials")
        // The request's shape first (400), then who asks (401).
        let action: Action? = body.action == "connect" ? nil : try DecisionsController.action(body.action)
        if let action, action != .publish, action != .subscribe {
            throw APIError(.badRequest, code: "decision.invalid_action", "`action`: a broker asks about connect, publish or subscribe")
        }
        var filter: MQTTTopicFilter?
        if let action {
            guard let topicText = body.topic else { throw APIError(.badRequest, code: "gateway.no_topic", "`topic` is required for \(action.rawValue)") }
            guard let parsed = MQTTTopicFilter(topicText), topicText.utf8.count <= 65535 else {
                throw APIError(.badRequest, code: "gateway.invalid_topic", "`topic`: `\(topicText.prefix(200))` is no MQTT topic (empty, NUL, over 65,535 bytes, or a misplaced `+`/`#`)")
            }
            if action == .publish, parsed.hasWildcards {
                throw APIError(.badRequest, code: "gateway.invalid_topic", "`topic`: a message is published on a topic name, without `+` or `#`")
            }
            filter = parsed
        }
        guard let first = body.credentials.lazy.compactMap({ self.verified($0) }).first else {
            var error = APIError(.unauthorized, code: "gateway.unauthenticated", "no credential verifies (unknown issuer, forged, expired or malformed)")
            error.headers[.wwwAuthenticate] = #"Bearer realm="registryd""#
            throw error
        }
        let subject = first.subject
        let credentialExpiry = Int(first.expires)
        guard let action, let filter else {
            return try JSONResponse.make(Answer(decision: "permit", subject: subject, reason: "the credential verifies", known: true,
                                                channels: [], limits: nil, exp: credentialExpiry))
        }
        let topicText = filter.text

        let served = registry.channels(servingTopic: filter)
        var decisionContext: [String: JSONValue] = ["protocol": .string("mqtt"), "topic": .string(topicText)]
        if let client = body.client { decisionContext["client"] = .string(client) }
        var answers: [ChannelAnswer] = []
        var tightest: Constraints?
        var expiry = credentialExpiry
        // One decision per channel name, however many instances serve it.
        var decided: [ServiceName: AccessService.Outcome] = [:]
        for channel in served {
            let outcome: AccessService.Outcome
            if let earlier = decided[channel.channel] {
                outcome = earlier
            } else {
                outcome = try await access.decide(subject: subject, credentials: body.credentials, api: channel.channel.value, action: action,
                                                  context: decisionContext, explain: false)
                decided[channel.channel] = outcome
            }
            let claims = outcome.claims
            if let claims, outcome.binding != nil {
                expiry = min(expiry, claims.exp)
                if tightest == nil { tightest = claims.constraints } else { tightest?.tighten(with: claims.constraints) }
            }
            answers.append(ChannelAnswer(api: channel.channel.value, topic: channel.topic, decision: outcome.decision.effect.rawValue,
                                         reason: outcome.decision.reason, binding: outcome.binding, bindingId: claims?.jti, exp: claims?.exp))
        }
        let permitted = answers.filter { $0.binding != nil }.count
        let decision: Bool
        let reason: String
        if answers.isEmpty {
            decision = false
            reason = "no event channel is served on `\(topicText)`"
        } else if filter.hasWildcards {
            decision = permitted > 0
            reason = decision ? "\(permitted) of the \(answers.count) channels the filter reaches permit; messages are judged by their topic"
                : "none of the \(answers.count) channels the filter reaches permits"
        } else {
            decision = permitted == answers.count
            reason = decision ? "every channel served on the topic permits" : (answers.first { $0.binding == nil }.map { "\($0.api): \($0.reason)" } ?? "")
        }
        return try JSONResponse.make(Answer(decision: decision ? "permit" : "deny", subject: subject, reason: reason, known: !answers.isEmpty,
                                            channels: answers, limits: decision && !filter.hasWildcards ? tightest : nil, exp: expiry))
    }

    private func verified(_ credential: String) -> (subject: String, expires: Double)? {
        guard case .success(let verified) = access.verifier.verify(credential), verified.expires > access.clock().seconds else { return nil }
        return (verified.subject, verified.expires)
    }
}
