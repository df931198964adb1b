extension Expression {
    /// The direct sub-expressions (not those inside an `EXISTS` pattern or an aggregate).
    var children: [Expression] {
        switch self {
        case .variable, .term, .bound, .exists, .notExists, .aggregate:
            return []
        case .or(let a, let b), .and(let a, let b), .equal(let a, let b), .notEqual(let a, let b),
            .less(let a, let b), .lessOrEqual(let a, let b), .greater(let a, let b), .greaterOrEqual(let a, let b),
            .add(let a, let b), .subtract(let a, let b), .multiply(let a, let b), .divide(let a, let b):
            return [a, b]
        case .in(let a, let list), .notIn(let a, let list):
            return [a] + list
        case .unaryPlus(let a), .unaryMinus(let a), .not(let a):
            return [a]
        case .if(let a, let b, let c):
            return [a, b, c]
        case .coalesce(let list), .call(_, let list), .function(_, let list):
            return list
        }
    }

    /// Whether an aggregate appears in the expression (outside `EXISTS` patterns, where the
    /// grammar's own rules already apply).
    var containsAggregate: Bool {
        if case .aggregate = self { return true }
        return children.contains { $0.containsAggregate }
    }

    /// The variables the expression reads, outside aggregates and `EXISTS` patterns.
    func visitVariables(_ visit: (Variable) -> Void) {
        switch self {
        case .variable(let variable), .bound(let variable):
            visit(variable)
        default:
            for child in children { child.visitVariables(visit) }
        }
    }

    /// The expression with each aggregate replaced by what `replace` returns.
    func replacingAggregates(_ replace: (Aggregate) throws -> Expression) rethrows -> Expression {
        func r(_ e: Expression) throws -> Expression { try e.replacingAggregates(replace) }
        switch self {
        case .aggregate(let aggregate): return try replace(aggregate)
        case .variable, .term, .bound, .exists, .notExists: return self
        case .or(let a, let b): return .or(try r(a), try r(b))
        case .and(let a, let b): return .and(try r(a), try r(b))
        case .equal(let a, let b): return .equal(try r(a), try r(b))
        case .notEqual(let a, let b): return .notEqual(try r(a), try r(b))
        case .less(let a, let b): return .less(try r(a), try r(b))
        case .lessOrEqual(let a, let b): return .lessOrEqual(try r(a), try r(b))
        case .greater(let a, let b): return .greater(try r(a), try r(b))
        case .greaterOrEqual(let a, let b): return .greaterOrEqual(try r(a), try r(b))
        case .add(let a, let b): return .add(try r(a), try r(b))
        case .subtract(let a, let b): return .subtract(try r(a), try r(b))
        case .multiply(let a, let b): return .multiply(try r(a), try r(b))
        case .divide(let a, let b): return .divide(try r(a), try r(b))
        case .in(let a, let list): return .in(try r(a), try list.map(r))
        case .notIn(let a, let list): return .notIn(try r(a), try list.map(r))
        case .unaryPlus(let a): return .unaryPlus(try r(a))
        case .unaryMinus(let a): return .unaryMinus(try r(a))
        case .not(let a): return .not(try r(a))
        case .if(let a, let b, let c): return .if(try r(a), try r(b), try r(c))
        case .coalesce(let list): return .coalesce(try list.map(r))
        case .call(let function, let list): return .call(function, try list.map(r))
        case .function(let iri, let list): return .function(iri, try list.map(r))
        }
    }
}
