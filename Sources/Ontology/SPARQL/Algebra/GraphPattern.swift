/// The SPARQL algebra (SPARQL 1.1 Query §18) that an evaluator runs.
///
/// ``SPARQLParser`` produces it following §18.2: group graph patterns become joins, left
/// joins, filters, unions and so on, solution modifiers wrap the pattern in the order of
/// §18.2.5 (group, having, select expressions, order, project, distinct, slice), and
/// aggregates become a ``group(_:keys:aggregates:)`` whose results later operators read as
/// variables. The empty group `{}` is `.bgp([])`, the pattern with one empty solution.
///
/// `description` prints the algebra as an S-expression in the style of Jena's SSE:
///
/// ```swift
/// let query = try SPARQLParser().parseQuery("SELECT ?s { ?s a <http://example.org/C> }")
/// print(query.pattern)
/// // (project (?s) (bgp (triple ?s <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://example.org/C>)))
/// ```
public indirect enum GraphPattern: Hashable, Sendable, CustomStringConvertible {
    /// A basic graph pattern: triple patterns to match together.
    case bgp([TriplePattern])
    /// A property path between two positions.
    case path(TermPattern, PropertyPath, TermPattern)
    case join(GraphPattern, GraphPattern)
    /// `OPTIONAL`: the right pattern where it matches, with the filter of the optional group.
    case leftJoin(GraphPattern, GraphPattern, Expression?)
    case filter(GraphPattern, Expression)
    case union(GraphPattern, GraphPattern)
    /// `GRAPH name { … }`, with an IRI or a variable for the name.
    case graph(TermPattern, GraphPattern)
    /// `BIND(expression AS ?variable)`, and select expressions.
    case extend(GraphPattern, Variable, Expression)
    case minus(GraphPattern, GraphPattern)
    /// `VALUES`: a table of rows, nil where a row leaves a variable unbound (`UNDEF`).
    case values([Variable], [[Term?]])
    /// Groups solutions by the key variables and computes the aggregates of each group. With
    /// no keys, all solutions form one group (and an empty input gives one group).
    case group(GraphPattern, keys: [Variable], aggregates: [AggregateBinding])
    case orderBy(GraphPattern, [OrderCondition])
    case project(GraphPattern, [Variable])
    case distinct(GraphPattern)
    case reduced(GraphPattern)
    /// `OFFSET` and `LIMIT`.
    case slice(GraphPattern, offset: Int, limit: Int?)
    /// `SERVICE [SILENT] name { … }`, kept for a federating evaluator.
    case service(TermPattern, GraphPattern, silent: Bool)

    /// The empty group: one solution that binds nothing.
    public static let unit = GraphPattern.bgp([])

    /// The pattern as an S-expression (see the type's discussion).
    public var description: String {
        switch self {
        case .bgp(let triples):
            return "(bgp" + triples.map { " \($0)" }.joined() + ")"
        case .path(let subject, let path, let object):
            return "(path \(subject) \(path) \(object))"
        case .join(let left, let right):
            return "(join \(left) \(right))"
        case .leftJoin(let left, let right, let expression):
            return "(leftjoin \(left) \(right)" + (expression.map { " \($0)" } ?? "") + ")"
        case .filter(let pattern, let expression):
            return "(filter \(expression) \(pattern))"
        case .union(let left, let right):
            return "(union \(left) \(right))"
        case .graph(let name, let pattern):
            return "(graph \(name) \(pattern))"
        case .extend(let pattern, let variable, let expression):
            return "(extend ((\(variable) \(expression))) \(pattern))"
        case .minus(let left, let right):
            return "(minus \(left) \(right))"
        case .values(let variables, let rows):
            let header = "(" + variables.map(\.description).joined(separator: " ") + ")"
            let body = rows.map { row in
                "(row" + zip(variables, row).compactMap { variable, value in
                    value.map { " [\(variable) \(SSE.term($0))]" }
                }.joined() + ")"
            }
            return "(table \(header)" + body.map { " " + $0 }.joined() + ")"
        case .group(let pattern, let keys, let aggregates):
            return "(group (" + keys.map(\.description).joined(separator: " ") + ") ("
                + aggregates.map(\.description).joined(separator: " ") + ") \(pattern))"
        case .orderBy(let pattern, let conditions):
            return "(order (" + conditions.map(\.description).joined(separator: " ") + ") \(pattern))"
        case .project(let pattern, let variables):
            return "(project (" + variables.map(\.description).joined(separator: " ") + ") \(pattern))"
        case .distinct(let pattern):
            return "(distinct \(pattern))"
        case .reduced(let pattern):
            return "(reduced \(pattern))"
        case .slice(let pattern, let offset, let limit):
            return "(slice \(offset == 0 ? "_" : String(offset)) \(limit.map(String.init) ?? "_") \(pattern))"
        case .service(let name, let pattern, let silent):
            return "(service \(silent ? "silent " : "")\(name) \(pattern))"
        }
    }
}
