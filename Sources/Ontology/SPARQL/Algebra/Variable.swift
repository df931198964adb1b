/// A SPARQL query variable.
///
/// Besides the variables written in a query (`?x`, `$x`), the algebra holds two kinds that a
/// query cannot name, so that they never clash with the user's variables and `SELECT *` never
/// projects them: blank nodes of a graph pattern, which SPARQL treats as variables
/// (`_:b` or `[]`), and variables that the translation introduces itself (for aggregates,
/// `GROUP BY` expressions and the middle of a property path sequence).
///
/// ```swift
/// let x = Variable("x")          // ?x
/// x.isProjectable                // true
/// ```
public struct Variable: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Where a variable comes from.
    public enum Kind: Int, Hashable, Sendable {
        /// Written in the query as `?name` or `$name`.
        case named
        /// A blank node of a graph pattern: `_:name`, or an anonymous node whose name starts
        /// with `.` (which no blank node label can).
        case blankNode
        /// Introduced by the translation to the algebra.
        case generated
    }

    /// The name, without `?`, `$` or `_:`.
    public let name: String
    /// Whether the query named it, or it stands for a blank node or a translation step.
    public let kind: Kind

    /// A variable written in the query.
    public init(_ name: String) {
        self.name = name
        self.kind = .named
    }

    /// A variable of any kind; blank node and generated names never clash with named ones.
    public init(_ name: String, kind: Kind) {
        self.name = name
        self.kind = kind
    }

    /// Whether `SELECT *` includes the variable and a solution may show it.
    public var isProjectable: Bool { kind == .named }

    public static func < (lhs: Variable, rhs: Variable) -> Bool {
        if lhs.kind != rhs.kind { return lhs.kind.rawValue < rhs.kind.rawValue }
        return lhs.name < rhs.name
    }

    /// `?name`, `_:name` for blank nodes, `?.name` for generated variables.
    public var description: String {
        switch kind {
        case .named: return "?" + name
        case .blankNode: return "_:" + name
        case .generated: return "?." + name
        }
    }
}
