/// A validated `permit`, `forbid` or `limit` rule.
public struct PolicyRule: Sendable {
    public enum Effect: String, Sendable, Codable {
        case permit, forbid, limit
    }

    /// The label, or `document:line` when the rule has none.
    public var id: String
    public var effect: Effect
    public var actions: Set<Action>
    let actionMask: UInt8
    public var patterns: [APIPattern]
    let when: Condition?
    let unless: Condition?
    public var constraints: Constraints
    public var document: String
    public var location: SourceLocation

    func applies(to action: Action) -> Bool { actionMask & action.bit != 0 }
}

/// The QoS figures a binding carries; the smallest of each kind among the limits that match.
public struct Constraints: Sendable, Hashable, Codable {
    public var messagesPerSecond: Double?
    public var bytesPerSecond: Double?
    public var burst: Double?

    public init(messagesPerSecond: Double? = nil, bytesPerSecond: Double? = nil, burst: Double? = nil) {
        self.messagesPerSecond = messagesPerSecond
        self.bytesPerSecond = bytesPerSecond
        self.burst = burst
    }

    public var isEmpty: Bool { messagesPerSecond == nil && bytesPerSecond == nil && burst == nil }

    /// Keeps the smaller of each limit (a missing one is no limit).
    public mutating func tighten(with other: Constraints) {
        func smaller(_ a: Double?, _ b: Double?) -> Double? {
            switch (a, b) {
            case (let a?, let b?): min(a, b)
            default: a ?? b
            }
        }
        messagesPerSecond = smaller(messagesPerSecond, other.messagesPerSecond)
        bytesPerSecond = smaller(bytesPerSecond, other.bytesPerSecond)
        burst = smaller(burst, other.burst)
    }
}

/// A `route` rule: which versions serve a name and with what weights, or another site.
public struct RouteRule: Sendable, Hashable, Codable {
    public struct Target: Sendable, Hashable, Codable {
        public var version: String
        public var weight: Int
    }

    public var id: String
    public var name: String
    public var targets: [Target]
    public var redirect: String?
}
