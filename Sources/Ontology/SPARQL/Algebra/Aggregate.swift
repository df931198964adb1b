/// A set function of SPARQL 1.1 (§18.5): `COUNT`, `SUM`, `MIN`, `MAX`, `AVG`, `SAMPLE`,
/// `GROUP_CONCAT`, or an extension function used as an aggregate.
public struct Aggregate: Hashable, Sendable, CustomStringConvertible {
    /// Which set function.
    public enum Function: Hashable, Sendable {
        case count
        case sum
        case min
        case max
        case avg
        case sample
        /// `GROUP_CONCAT`, with its separator (a single space unless given).
        case groupConcat(separator: String)
        /// An extension aggregate named by an IRI.
        case custom(IRI)
    }

    /// Which set function.
    public var function: Function
    /// Whether duplicates are removed first (`COUNT(DISTINCT ?x)`).
    public var distinct: Bool
    /// The argument; nil only for `COUNT(*)`.
    public var expression: Expression?

    public init(_ function: Function, distinct: Bool = false, _ expression: Expression?) {
        self.function = function
        self.distinct = distinct
        self.expression = expression
    }

    /// `(count distinct ?x)`, `(count)` for `COUNT(*)`, `(group_concat ?x ", ")`.
    public var description: String {
        var out = "("
        switch function {
        case .count: out += "count"
        case .sum: out += "sum"
        case .min: out += "min"
        case .max: out += "max"
        case .avg: out += "avg"
        case .sample: out += "sample"
        case .groupConcat: out += "group_concat"
        case .custom(let iri): out += "agg \(iri)"
        }
        if distinct { out += " distinct" }
        if let expression { out += " \(expression)" }
        if case .groupConcat(let separator) = function, separator != " " {
            out += " " + SSE.term(.literal(Literal(separator)))
        }
        return out + ")"
    }
}
