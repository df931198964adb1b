import Foundation
import JOSE
import Ontology

/// The claims of a binding: what a gateway needs to let a subject use an API, signed so that
/// any JOSE library can check it against `/.well-known/jwks.json`.
public struct BindingClaims: Codable, Sendable, Hashable {
    /// One endpoint the binding lets the subject use, from name resolution and `route` rules.
    public struct Endpoint: Codable, Sendable, Hashable {
        public var `protocol`: String
        public var address: String
        public var version: String
        public var weight: Int
        public var health: String
        public var method: String?
        public var topic: String?

        public init(protocol: String, address: String, version: String, weight: Int, health: String, method: String? = nil, topic: String? = nil) {
            self.protocol = `protocol`
            self.address = address
            self.version = version
            self.weight = weight
            self.health = health
            self.method = method
            self.topic = topic
        }
    }

    public var iss: String
    public var sub: String
    public var api: String
    public var act: Action
    public var endpoints: [Endpoint]
    public var constraints: Constraints
    public var iat: Int
    public var nbf: Int
    public var exp: Int
    public var generation: Int64
    public var jti: String
    /// The rules that permitted it.
    public var rules: [String]
    /// Set when a `route` rule sends the name to another site.
    public var redirect: String?
    /// The HTTP method the binding was decided for, when a gateway asked: the binding is only
    /// good for that method (a binding for a read does not open a `DELETE`).
    public var method: String?

    public init(iss: String, sub: String, api: String, act: Action, endpoints: [Endpoint], constraints: Constraints, iat: Int, nbf: Int,
                exp: Int, generation: Int64, jti: String, rules: [String], redirect: String? = nil, method: String? = nil) {
        self.method = method
        self.iss = iss
        self.sub = sub
        self.api = api
        self.act = act
        self.endpoints = endpoints
        self.constraints = constraints
        self.iat = iat
        self.nbf = nbf
        self.exp = exp
        self.generation = generation
        self.jti = jti
        self.rules = rules
        self.redirect = redirect
    }

    /// Signs the claims as a compact JWS (`typ` `binding+jwt`).
    public func sign(with key: SigningKey) throws -> String {
        try CompactJWS.sign(payload: Array(json.utf8), with: key, type: "binding+jwt")
    }

    /// The claims as JSON with sorted keys, written by hand: a binding is signed on every
    /// permit, and Foundation's encoder cost more than the signature.
    public var json: String {
        func quoted(_ text: String) -> String { JSONEscaping.quoted(text) }
        func number(_ value: Double) -> String {
            value.rounded() == value && abs(value) < 9e15 ? String(Int(value)) : String(value)
        }
        var out = #"{"act":"# + quoted(act.rawValue) + #","api":"# + quoted(api) + #","constraints":{"#
        var figures: [String] = []
        if let burst = constraints.burst { figures.append(#""burst":"# + number(burst)) }
        if let bytes = constraints.bytesPerSecond { figures.append(#""bytesPerSecond":"# + number(bytes)) }
        if let messages = constraints.messagesPerSecond { figures.append(#""messagesPerSecond":"# + number(messages)) }
        out += figures.joined(separator: ",") + #"},"endpoints":["#
        out += endpoints.map { endpoint in
            var fields = [#""address":"# + quoted(endpoint.address), #""health":"# + quoted(endpoint.health)]
            if let method = endpoint.method { fields.append(#""method":"# + quoted(method)) }
            fields.append(#""protocol":"# + quoted(endpoint.protocol))
            if let topic = endpoint.topic { fields.append(#""topic":"# + quoted(topic)) }
            fields.append(#""version":"# + quoted(endpoint.version))
            fields.append(#""weight":"# + String(endpoint.weight))
            return "{" + fields.joined(separator: ",") + "}"
        }.joined(separator: ",")
        out += #"],"exp":"# + String(exp) + #","generation":"# + String(generation) + #","iat":"# + String(iat)
        out += #","iss":"# + quoted(iss) + #","jti":"# + quoted(jti)
        if let method { out += #","method":"# + quoted(method) }
        out += #","nbf":"# + String(nbf)
        if let redirect { out += #","redirect":"# + quoted(redirect) }
        out += #","rules":["# + rules.map(quoted).joined(separator: ",") + #"],"sub":"# + quoted(sub) + "}"
        return out
    }

    /// The claims of a binding whose signature one of the keys verifies; nil otherwise.
    public static func verified(_ token: String, keys: [VerificationKey]) -> BindingClaims? {
        guard let decoded = try? CompactJWS.decode(token), decoded.verify(with: keys) else { return nil }
        return try? JSONDecoder().decode(BindingClaims.self, from: Data(decoded.payload))
    }
}
