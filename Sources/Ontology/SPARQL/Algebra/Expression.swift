/// A SPARQL 1.1 expression (§17): the operators, the built-in functions, extension
/// functions, `EXISTS` with its graph pattern, and aggregates.
///
/// ``Expression/aggregate(_:)`` appears only where the grammar allows aggregates; the
/// translation to the algebra (§18.2.4.1) replaces each one by a variable that a
/// ``GraphPattern/group(_:keys:aggregates:)`` binds, so an evaluator never meets it.
public indirect enum Expression: Hashable, Sendable, CustomStringConvertible {
    case variable(Variable)
    /// An IRI or literal constant.
    case term(Term)
    case or(Expression, Expression)
    case and(Expression, Expression)
    case equal(Expression, Expression)
    case notEqual(Expression, Expression)
    case less(Expression, Expression)
    case lessOrEqual(Expression, Expression)
    case greater(Expression, Expression)
    case greaterOrEqual(Expression, Expression)
    /// `e IN (list)`.
    case `in`(Expression, [Expression])
    /// `e NOT IN (list)`.
    case notIn(Expression, [Expression])
    case add(Expression, Expression)
    case subtract(Expression, Expression)
    case multiply(Expression, Expression)
    case divide(Expression, Expression)
    case unaryPlus(Expression)
    case unaryMinus(Expression)
    case not(Expression)
    /// `BOUND(?v)`.
    case bound(Variable)
    /// `IF(condition, then, else)`.
    case `if`(Expression, Expression, Expression)
    /// `COALESCE(e1, …)`.
    case coalesce([Expression])
    /// A built-in function call, such as `STR(?x)` or `REGEX(?s, "a", "i")`.
    case call(BuiltInFunction, [Expression])
    /// An extension function or a cast, such as `xsd:integer(?x)`.
    case function(IRI, [Expression])
    /// `EXISTS { pattern }`.
    case exists(GraphPattern)
    /// `NOT EXISTS { pattern }`.
    case notExists(GraphPattern)
    /// A set function; see the type's discussion.
    case aggregate(Aggregate)

    /// The S-expression form, as Jena's SSE writes it: `(= ?x 1)`, `(str ?x)`.
    public var description: String {
        switch self {
        case .variable(let variable): return variable.description
        case .term(let term): return SSE.term(term)
        case .or(let a, let b): return "(|| \(a) \(b))"
        case .and(let a, let b): return "(&& \(a) \(b))"
        case .equal(let a, let b): return "(= \(a) \(b))"
        case .notEqual(let a, let b): return "(!= \(a) \(b))"
        case .less(let a, let b): return "(< \(a) \(b))"
        case .lessOrEqual(let a, let b): return "(<= \(a) \(b))"
        case .greater(let a, let b): return "(> \(a) \(b))"
        case .greaterOrEqual(let a, let b): return "(>= \(a) \(b))"
        case .in(let a, let list): return "(in \(a)" + list.map { " \($0)" }.joined() + ")"
        case .notIn(let a, let list): return "(notin \(a)" + list.map { " \($0)" }.joined() + ")"
        case .add(let a, let b): return "(+ \(a) \(b))"
        case .subtract(let a, let b): return "(- \(a) \(b))"
        case .multiply(let a, let b): return "(* \(a) \(b))"
        case .divide(let a, let b): return "(/ \(a) \(b))"
        case .unaryPlus(let a): return "(+ \(a))"
        case .unaryMinus(let a): return "(- \(a))"
        case .not(let a): return "(! \(a))"
        case .bound(let variable): return "(bound \(variable))"
        case .if(let a, let b, let c): return "(if \(a) \(b) \(c))"
        case .coalesce(let list): return "(coalesce" + list.map { " \($0)" }.joined() + ")"
        case .call(let function, let arguments):
            return "(" + function.rawValue.lowercased() + arguments.map { " \($0)" }.joined() + ")"
        case .function(let iri, let arguments): return "(\(iri)" + arguments.map { " \($0)" }.joined() + ")"
        case .exists(let pattern): return "(exists \(pattern))"
        case .notExists(let pattern): return "(notexists \(pattern))"
        case .aggregate(let aggregate): return aggregate.description
        }
    }
}
