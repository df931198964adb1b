/// An aggregate computed by a ``GraphPattern/group(_:keys:aggregates:)`` into a variable.
public struct AggregateBinding: Hashable, Sendable, CustomStringConvertible {
    /// The variable that holds the aggregate's value in each group.
    public var variable: Variable
    public var aggregate: Aggregate

    public init(_ variable: Variable, _ aggregate: Aggregate) {
        self.variable = variable
        self.aggregate = aggregate
    }

    /// `(?v (count ?x))`.
    public var description: String { "(\(variable) \(aggregate))" }
}
