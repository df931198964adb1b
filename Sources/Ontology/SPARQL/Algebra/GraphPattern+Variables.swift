extension GraphPattern {
    /// The variables in scope after the pattern (SPARQL 1.1 §18.2.1): those a solution may
    /// bind. Blank node and generated variables are included; filter only
    /// ``Variable/isProjectable`` ones for `SELECT *`.
    public var inScopeVariables: Set<Variable> {
        var set = Set<Variable>()
        collectInScopeVariables(into: &set)
        return set
    }

    /// The in-scope variables in the order they first appear, for `SELECT *`.
    public var orderedInScopeVariables: [Variable] {
        var seen = Set<Variable>()
        var ordered: [Variable] = []
        visitInScopeVariables { variable in
            if seen.insert(variable).inserted { ordered.append(variable) }
        }
        return ordered
    }

    func collectInScopeVariables(into set: inout Set<Variable>) {
        visitInScopeVariables { set.insert($0) }
    }

    func visitInScopeVariables(_ visit: (Variable) -> Void) {
        func position(_ term: TermPattern?) {
            if case .variable(let variable)? = term { visit(variable) }
        }
        switch self {
        case .bgp(let triples):
            for triple in triples {
                position(triple.subject)
                position(triple.predicate)
                position(triple.object)
            }
        case .path(let subject, _, let object):
            position(subject)
            position(object)
        case .join(let left, let right), .leftJoin(let left, let right, _), .union(let left, let right):
            left.visitInScopeVariables(visit)
            right.visitInScopeVariables(visit)
        case .graph(let name, let pattern):
            position(name)
            pattern.visitInScopeVariables(visit)
        case .service(let name, let pattern, _):
            position(name)
            pattern.visitInScopeVariables(visit)
        case .extend(let pattern, let variable, _):
            pattern.visitInScopeVariables(visit)
            visit(variable)
        case .minus(let left, _):
            left.visitInScopeVariables(visit)
        case .values(let variables, _):
            variables.forEach(visit)
        case .group(_, let keys, let aggregates):
            keys.forEach(visit)
            aggregates.forEach { visit($0.variable) }
        case .project(_, let variables):
            variables.forEach(visit)
        case .filter(let pattern, _), .orderBy(let pattern, _), .distinct(let pattern), .reduced(let pattern),
            .slice(let pattern, _, _):
            pattern.visitInScopeVariables(visit)
        }
    }
}
