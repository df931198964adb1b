/// One solution mapping: the value of each variable slot, nil where unbound.
struct Solution: Hashable, Sendable {
    var values: [Term?]

    init(width: Int) {
        values = Array(repeating: nil, count: width)
    }

    subscript(slot: Int) -> Term? {
        get { slot < values.count ? values[slot] : nil }
        set { if slot < values.count { values[slot] = newValue } }
    }

    /// Whether the two solutions agree on every variable both bind (§18.3 compatibility).
    func isCompatible(with other: Solution) -> Bool {
        for index in 0..<min(values.count, other.values.count) {
            if let a = values[index], let b = other.values[index], a != b { return false }
        }
        return true
    }

    /// The union of two compatible solutions.
    func merged(with other: Solution) -> Solution {
        var result = self
        for index in 0..<min(values.count, other.values.count) where result.values[index] == nil {
            result.values[index] = other.values[index]
        }
        return result
    }
}

/// The slot of each variable of a query, assigned before evaluation by walking the algebra.
struct VariableSlots {
    private(set) var slots: [Variable: Int] = [:]
    private(set) var variables: [Variable] = []

    var count: Int { variables.count }

    subscript(variable: Variable) -> Int {
        mutating get {
            if let slot = slots[variable] { return slot }
            let slot = variables.count
            slots[variable] = slot
            variables.append(variable)
            return slot
        }
    }

    func slot(of variable: Variable) -> Int? { slots[variable] }

    mutating func collect(_ pattern: GraphPattern) {
        switch pattern {
        case .bgp(let triples):
            for triple in triples { collect(triple) }
        case .path(let subject, _, let object):
            collect(subject)
            collect(object)
        case .join(let a, let b), .union(let a, let b), .minus(let a, let b):
            collect(a)
            collect(b)
        case .leftJoin(let a, let b, let expression):
            collect(a)
            collect(b)
            if let expression { collect(expression) }
        case .filter(let inner, let expression):
            collect(inner)
            collect(expression)
        case .graph(let name, let inner), .service(let name, let inner, _):
            collect(name)
            collect(inner)
        case .extend(let inner, let variable, let expression):
            collect(inner)
            _ = self[variable]
            collect(expression)
        case .values(let variables, _):
            for variable in variables { _ = self[variable] }
        case .group(let inner, let keys, let aggregates):
            collect(inner)
            for key in keys { _ = self[key] }
            for binding in aggregates {
                _ = self[binding.variable]
                if let expression = binding.aggregate.expression { collect(expression) }
            }
        case .orderBy(let inner, let conditions):
            collect(inner)
            for condition in conditions { collect(condition.expression) }
        case .project(let inner, let variables):
            collect(inner)
            for variable in variables { _ = self[variable] }
        case .distinct(let inner), .reduced(let inner), .slice(let inner, _, _):
            collect(inner)
        }
    }

    mutating func collect(_ triple: TriplePattern) {
        collect(triple.subject)
        collect(triple.predicate)
        collect(triple.object)
    }

    mutating func collect(_ position: TermPattern) {
        if let variable = position.variable { _ = self[variable] }
    }

    mutating func collect(_ expression: Expression) {
        switch expression {
        case .variable(let variable), .bound(let variable):
            _ = self[variable]
        case .exists(let pattern), .notExists(let pattern):
            collect(pattern)
        case .aggregate(let aggregate):
            if let inner = aggregate.expression { collect(inner) }
        default:
            for child in expression.children { collect(child) }
        }
    }
}
