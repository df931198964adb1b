extension AlgebraBuilder {
    /// The query: its form, and the algebra of its pattern with the solution modifiers.
    mutating func buildQuery(_ syntax: QuerySyntax, baseIRI: String?, prefixes: [String: String]) throws -> Query {
        let body = syntax.body ?? .elements([])
        _ = try blankNodeLabels(in: body)
        let star = SelectClauseSyntax(modifier: .none, items: nil, offset: 0)
        let form: Query.Form
        let pattern: GraphPattern
        switch syntax.form {
        case .select(let clause):
            let (translated, projection) = try translateSelect(clause, body: body, modifiers: syntax.modifiers,
                                                               values: syntax.values, projecting: true)
            (form, pattern) = (.select(projection), translated)
        case .construct(let template):
            pattern = try translateSelect(star, body: body, modifiers: syntax.modifiers, values: syntax.values,
                                          projecting: false).pattern
            form = .construct(template)
        case .ask:
            pattern = try translateSelect(star, body: body, modifiers: syntax.modifiers, values: syntax.values,
                                          projecting: false).pattern
            form = .ask
        case .describe(let terms):
            var clause = star
            if let terms {
                clause.items = terms.compactMap(\.variable).map { SelectItemSyntax(variable: $0, expression: nil, offset: 0) }
            }
            let (translated, projection) = try translateSelect(clause, body: body, modifiers: syntax.modifiers,
                                                               values: syntax.values, projecting: true)
            pattern = translated
            form = .describe(terms ?? projection.map { .variable($0) })
        }
        return Query(form: form, dataset: syntax.dataset, pattern: pattern, baseIRI: baseIRI, prefixes: prefixes)
    }

    /// A sub-select: its pattern, projected.
    mutating func translateSubSelect(_ subSelect: SubSelectSyntax) throws -> GraphPattern {
        try translateSelect(subSelect.select, body: subSelect.body, modifiers: subSelect.modifiers,
                            values: subSelect.values, projecting: true).pattern
    }

    /// §18.2.4: grouping and aggregates, `HAVING`, `VALUES`, select expressions, `ORDER BY`,
    /// projection, `DISTINCT` / `REDUCED`, then `OFFSET` / `LIMIT`. `projecting` is false for
    /// `CONSTRUCT` and `ASK`, which keep every variable.
    mutating func translateSelect(_ clause: SelectClauseSyntax, body: GroupSyntax, modifiers: SolutionModifierSyntax,
                                  values: ValuesSyntax?, projecting: Bool) throws
        -> (pattern: GraphPattern, projection: [Variable]) {
        var pattern = try translate(body)

        // §18.2.4.1: each aggregate becomes a variable that the group binds.
        var aggregates: [AggregateBinding] = []
        func collect(_ expression: Expression, at offset: Int) throws -> Expression {
            try expression.replacingAggregates { aggregate in
                if let inner = aggregate.expression, inner.containsAggregate {
                    throw error("aggregates cannot be nested", at: offset)
                }
                if let known = aggregates.first(where: { $0.aggregate == aggregate }) { return .variable(known.variable) }
                let variable = freshVariable("agg")
                aggregates.append(AggregateBinding(variable, aggregate))
                return .variable(variable)
            }
        }
        let items = try clause.items?.map { item in
            (item: item, expression: try item.expression.map { try collect($0, at: item.offset) })
        }
        let having = try modifiers.having.map { try collect($0.expression, at: $0.offset) }
        let order = try modifiers.orderBy.map {
            OrderCondition(try collect($0.condition.expression, at: $0.offset), descending: $0.condition.descending)
        }

        let grouping = !modifiers.groupBy.isEmpty || !aggregates.isEmpty
        if grouping {
            var keys: [Variable] = []
            for condition in modifiers.groupBy {
                try rejectAggregates(condition.expression, in: "GROUP BY", at: condition.offset)
                if let variable = condition.variable {
                    if pattern.inScopeVariables.contains(variable) {
                        throw error("`GROUP BY` cannot assign `\(variable)`, which the pattern already binds",
                                    at: condition.offset)
                    }
                    pattern = .extend(pattern, variable, condition.expression)
                    keys.append(variable)
                } else if case .variable(let variable) = condition.expression {
                    keys.append(variable)
                } else {
                    let variable = freshVariable("key")
                    pattern = .extend(pattern, variable, condition.expression)
                    keys.append(variable)
                }
            }
            pattern = .group(pattern, keys: keys, aggregates: aggregates)
        }
        if let first = having.first {
            pattern = .filter(pattern, having.dropFirst().reduce(first) { .and($0, $1) })
        }
        if let values {
            pattern = Self.join(pattern, .values(values.variables, values.rows))
        }

        var projection: [Variable] = []
        if let items {
            var inScope = pattern.inScopeVariables
            for (item, expression) in items {
                if projection.contains(item.variable) {
                    throw error("`\(item.variable)` appears twice in the select clause", at: item.offset)
                }
                if let expression {
                    if inScope.contains(item.variable) {
                        throw error("a select expression cannot assign `\(item.variable)`, which the pattern already binds",
                                    at: item.offset)
                    }
                    if grouping {
                        var unbound: Variable?
                        expression.visitVariables { if unbound == nil && !inScope.contains($0) { unbound = $0 } }
                        if let unbound {
                            throw error("`\(unbound)` is used in a select expression but is not a `GROUP BY` key",
                                        at: item.offset)
                        }
                    }
                    pattern = .extend(pattern, item.variable, expression)
                    inScope.insert(item.variable)
                } else if grouping && !inScope.contains(item.variable) {
                    throw error("`\(item.variable)` is selected but is not a `GROUP BY` key", at: item.offset)
                }
                projection.append(item.variable)
            }
        } else {
            if grouping && projecting {
                throw error("`SELECT *` cannot be used with `GROUP BY` or aggregates", at: clause.offset)
            }
            projection = pattern.orderedInScopeVariables.filter(\.isProjectable)
        }

        if !order.isEmpty { pattern = .orderBy(pattern, order) }
        if projecting { pattern = .project(pattern, projection) }
        switch clause.modifier {
        case .distinct: pattern = .distinct(pattern)
        case .reduced: pattern = .reduced(pattern)
        case .none: break
        }
        if modifiers.limit != nil || modifiers.offset > 0 {
            pattern = .slice(pattern, offset: modifiers.offset, limit: modifiers.limit)
        }
        return (pattern, projection)
    }
}
