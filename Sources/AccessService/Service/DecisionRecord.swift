import AccessControl

/// One decision as the decision log keeps it (OPA's decision logs are the model): what was
/// asked, the answer and the rules that gave it, the binding issued, the policy generation, the
/// attributes the policies read, and how long it took.
public struct DecisionRecord: Sendable {
    /// Seconds since 1970.
    public var time: Double
    public var subject: String
    public var api: String
    public var action: Action
    /// The HTTP method a gateway asked for, if any.
    public var method: String?
    public var decision: Decision
    /// The binding's id (`jti`), on permit.
    public var binding: String?
    /// Each attribute the policies declare that had a value, by name (`subject.rank`).
    public var attributes: [(String, String)]
    public var latency: Duration
}
