/// Expression evaluation (§17): operators with SPARQL's three-valued logic; values and
/// functions come from ``TermValues`` and ``BuiltInFunctions``.
extension PatternEvaluator {
    func effectiveBooleanValue(_ expression: Expression, _ solution: Solution, graph: GraphSelector) throws -> Bool {
        try TermValues.effectiveBooleanValue(evaluateExpression(expression, solution, graph: graph))
    }

    func evaluateExpression(_ expression: Expression, _ solution: Solution, graph: GraphSelector) throws -> Term {
        switch expression {
        case .variable(let variable):
            guard let slot = slots.slot(of: variable), let value = solution[slot] else {
                throw ExpressionError(reason: "unbound variable \(variable)")
            }
            return value
        case .term(let term):
            return term
        case .or(let a, let b):
            // An error on one side is forgiven when the other side is true (§17.2).
            let left = Result { try effectiveBooleanValue(a, solution, graph: graph) }
            if case .success(true) = left { return Self.boolean(true) }
            let right = try effectiveBooleanValue(b, solution, graph: graph)
            if right { return Self.boolean(true) }
            return Self.boolean(try left.get())
        case .and(let a, let b):
            let left = Result { try effectiveBooleanValue(a, solution, graph: graph) }
            if case .success(false) = left { return Self.boolean(false) }
            let right = try effectiveBooleanValue(b, solution, graph: graph)
            if !right { return Self.boolean(false) }
            return Self.boolean(try left.get())
        case .equal(let a, let b):
            return Self.boolean(try TermValues.equals(evaluateExpression(a, solution, graph: graph), evaluateExpression(b, solution, graph: graph)))
        case .notEqual(let a, let b):
            return Self.boolean(!(try TermValues.equals(evaluateExpression(a, solution, graph: graph), evaluateExpression(b, solution, graph: graph))))
        case .less(let a, let b):
            return Self.boolean(try compare(a, b, solution, graph) < 0)
        case .lessOrEqual(let a, let b):
            return Self.boolean(try compare(a, b, solution, graph) <= 0)
        case .greater(let a, let b):
            return Self.boolean(try compare(a, b, solution, graph) > 0)
        case .greaterOrEqual(let a, let b):
            return Self.boolean(try compare(a, b, solution, graph) >= 0)
        case .in(let a, let list):
            return Self.boolean(try isMember(a, list, solution, graph))
        case .notIn(let a, let list):
            return Self.boolean(!(try isMember(a, list, solution, graph)))
        case .add(let a, let b):
            return try TermValues.arithmetic(.add, evaluateExpression(a, solution, graph: graph), evaluateExpression(b, solution, graph: graph))
        case .subtract(let a, let b):
            return try TermValues.arithmetic(.subtract, evaluateExpression(a, solution, graph: graph), evaluateExpression(b, solution, graph: graph))
        case .multiply(let a, let b):
            return try TermValues.arithmetic(.multiply, evaluateExpression(a, solution, graph: graph), evaluateExpression(b, solution, graph: graph))
        case .divide(let a, let b):
            return try TermValues.arithmetic(.divide, evaluateExpression(a, solution, graph: graph), evaluateExpression(b, solution, graph: graph))
        case .unaryPlus(let a):
            return try TermValues.unaryPlus(evaluateExpression(a, solution, graph: graph))
        case .unaryMinus(let a):
            return try TermValues.negate(evaluateExpression(a, solution, graph: graph))
        case .not(let a):
            return Self.boolean(!(try effectiveBooleanValue(a, solution, graph: graph)))
        case .bound(let variable):
            return Self.boolean(slots.slot(of: variable).flatMap { solution[$0] } != nil)
        case .if(let condition, let then, let otherwise):
            return try effectiveBooleanValue(condition, solution, graph: graph)
                ? evaluateExpression(then, solution, graph: graph)
                : evaluateExpression(otherwise, solution, graph: graph)
        case .coalesce(let list):
            for candidate in list {
                if let value = try? evaluateExpression(candidate, solution, graph: graph) { return value }
            }
            throw ExpressionError(reason: "COALESCE found no value")
        case .call(let function, let arguments):
            let values = try arguments.map { try evaluateExpression($0, solution, graph: graph) }
            return try BuiltInFunctions.call(function, values, context: &functions)
        case .function(let iri, let arguments):
            let values = try arguments.map { try evaluateExpression($0, solution, graph: graph) }
            return try BuiltInFunctions.callFunction(iri, values, context: &functions)
        case .exists(let pattern):
            return Self.boolean(evaluate(pattern, graph: graph, input: solution, substitute: true).next() != nil)
        case .notExists(let pattern):
            return Self.boolean(evaluate(pattern, graph: graph, input: solution, substitute: true).next() == nil)
        case .aggregate:
            throw ExpressionError(reason: "aggregate outside a group")
        }
    }

    private func compare(_ a: Expression, _ b: Expression, _ solution: Solution, _ graph: GraphSelector) throws -> Int {
        try TermValues.compare(evaluateExpression(a, solution, graph: graph), evaluateExpression(b, solution, graph: graph))
    }

    /// `IN`: true if some member is equal; an error only if no member is equal and one failed.
    private func isMember(_ a: Expression, _ list: [Expression], _ solution: Solution, _ graph: GraphSelector) throws -> Bool {
        let value = try evaluateExpression(a, solution, graph: graph)
        var sawError = false
        for member in list {
            do {
                if try TermValues.equals(value, evaluateExpression(member, solution, graph: graph)) { return true }
            } catch {
                sawError = true
            }
        }
        if sawError { throw ExpressionError(reason: "IN compared with an error") }
        return false
    }

    static func boolean(_ value: Bool) -> Term {
        .literal(Literal(value ? "true" : "false", datatype: XSD.boolean))
    }
}
