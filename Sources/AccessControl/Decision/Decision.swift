/// The answer to a decision request.
public struct Decision: Sendable {
    public enum Effect: String, Sendable, Codable {
        case permit, deny
    }

    public var effect: Effect
    public var generation: Int64
    /// The rules that decided: the permits that applied, or the forbids that applied.
    public var rules: [String]
    public var reason: String
    /// The latest instant until which the same request gets the same answer from the rules
    /// (end of the window that permitted it, start of a forbid's window), ignoring credentials.
    public var stableUntil: Double
    /// The earliest expiry of the credentials that supplied attributes the rules used.
    public var credentialsExpire: Double?
    public var constraints: Constraints
    public var explanation: Explanation?
}

/// Why a decision came out as it did: every rule that matched the API and action, each test's
/// value, and the attributes seen.
public struct Explanation: Sendable, Codable, Hashable {
    public struct Test: Sendable, Codable, Hashable {
        public var test: String
        public var line: Int
        public var column: Int
        /// `true`, `false` or `unknown`.
        public var value: String
        public var reason: String?
    }

    public struct Rule: Sendable, Codable, Hashable {
        public var rule: String
        public var effect: PolicyRule.Effect
        public var document: String
        public var line: Int
        public var applies: Bool
        public var when: [Test]
        public var unless: [Test]
    }

    public struct Attribute: Sendable, Codable, Hashable {
        public var attribute: String
        public var source: String
        public var value: String?
        public var problem: String?
    }

    public var rules: [Explanation.Rule]
    public var attributes: [Explanation.Attribute]
}
