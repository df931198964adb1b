/// What a query returns.
public enum QueryResult: Sendable {
    /// SELECT: the projected variables and one row per solution (nil where unbound).
    case solutions(variables: [Variable], rows: [[Term?]])
    /// ASK.
    case boolean(Bool)
    /// CONSTRUCT and DESCRIBE.
    case graph([Triple])
}

/// Bounds on one evaluation: a deadline and a maximum number of results.
public struct EvaluationLimits: Sendable {
    /// When the evaluation must give up; nil for no limit.
    public var deadline: ContinuousClock.Instant?
    /// The most solutions (or triples) a result may hold; nil for no limit.
    public var maxResults: Int?

    public init(timeout: Duration? = nil, maxResults: Int? = nil) {
        self.deadline = timeout.map { ContinuousClock.now + $0 }
        self.maxResults = maxResults
    }
}
