import JOSE

/// An attribute authority: a name (the `iss` of its credentials) and the keys it signs with.
public struct Authority: Sendable, Hashable, Codable {
    public var name: String
    public var keys: JWKSet

    public init(name: String, keys: JWKSet) {
        self.name = name
        self.keys = keys
    }
}
