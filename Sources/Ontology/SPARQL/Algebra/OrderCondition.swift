/// One key of an `ORDER BY`.
public struct OrderCondition: Hashable, Sendable, CustomStringConvertible {
    /// The sort key.
    public var expression: Expression
    /// True for `DESC(…)`.
    public var descending: Bool

    public init(_ expression: Expression, descending: Bool = false) {
        self.expression = expression
        self.descending = descending
    }

    /// `(asc e)` or `(desc e)`.
    public var description: String { "(\(descending ? "desc" : "asc") \(expression))" }
}
