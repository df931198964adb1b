/// An expression evaluation error (SPARQL 1.1 §17.3).
///
/// Evaluating an expression can fail: a type error (`"a" + 1`), a division by zero, an unbound
/// variable, a function given the wrong kind of argument. SPARQL does not stop the query then:
/// the evaluator turns the error into an unbound value (in `BIND` and projections) or into
/// `false` (in `FILTER`), and `||`, `&&`, `COALESCE` and `IF` may forgive it (§17.2). So this is
/// a plain value that carries a reason for debugging, not an ``OntologyError`` with a code.
struct ExpressionError: Error, Sendable, CustomStringConvertible {
    /// Why the expression has no value, for people reading logs and test failures.
    let reason: String

    init(reason: String) {
        self.reason = reason
    }

    var description: String { reason }

    /// A function or operator given an argument it is not defined for.
    static func typeError(_ what: String, _ term: Term) -> ExpressionError {
        ExpressionError(reason: "\(what) is not defined for `\(term)`")
    }

    /// A function called with a number of arguments outside its arity.
    static func arity(_ name: String, expected: String, got count: Int) -> ExpressionError {
        ExpressionError(reason: "\(name) takes \(expected) argument(s), got \(count)")
    }

    /// An arithmetic result outside the range the engine represents exactly.
    static func overflow(_ operation: String) -> ExpressionError {
        ExpressionError(reason: "\(operation) overflows")
    }
}
