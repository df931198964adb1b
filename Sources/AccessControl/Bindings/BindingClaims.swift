import JOSE
import JSON
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
        try signed(with: key).token
    }

    /// The compact JWS and the JSON it signs, encoded once.
    public func signed(with key: SigningKey) throws -> (token: String, json: String) {
        let json = try self.json
        return (try CompactJWS.sign(payload: Array(json.utf8), with: key, type: "binding+jwt"), json)
    }

    /// The claims as compact JSON with sorted keys: what is signed, and what a decision answers.
    public var json: String {
        get throws { try CompactJSONEncoder.encode(self) }
    }

    /// The claims of a binding whose signature one of the keys verifies; nil otherwise.
    public static func verified(_ token: String, keys: [VerificationKey]) -> BindingClaims? {
        guard let decoded = try? CompactJWS.decode(token), decoded.verify(with: keys) else { return nil }
        return try? JSONValueDecoder(rejectsUnknownFields: false).decode(BindingClaims.self, from: decoded.payload)
    }
}

