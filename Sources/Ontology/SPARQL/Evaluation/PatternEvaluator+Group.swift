/// GROUP BY with aggregates (§18.5.1.7, §18.5.1.8), and ORDER BY.
extension PatternEvaluator {
    func evaluateGroup(_ inner: GraphPattern, keys: [Variable], aggregates: [AggregateBinding], graph: GraphSelector,
                       input: Solution?, substitute: Bool) -> AnyIterator<Solution> {
        let solutions = Array(evaluate(inner, graph: graph, input: input, substitute: substitute))
        let keySlots = keys.map { slots[$0] }
        var order: [[Term?]] = []
        var groups: [[Term?]: [Solution]] = [:]
        if keys.isEmpty {
            // Without GROUP BY every solution is in one group, which exists even when empty.
            order = [[]]
            groups[[]] = solutions
        } else {
            for solution in solutions {
                let key = keySlots.map { solution[$0] }
                if groups[key] == nil { order.append(key) }
                groups[key, default: []].append(solution)
            }
        }
        let aggregateSlots = aggregates.map { slots[$0.variable] }
        var result: [Solution] = []
        for key in order {
            let members = groups[key] ?? []
            var solution = Solution(width: slots.count)
            for (slot, value) in zip(keySlots, key) { solution[slot] = value }
            for (binding, slot) in zip(aggregates, aggregateSlots) {
                solution[slot] = try? aggregate(binding.aggregate, over: members, graph: graph)
            }
            result.append(solution)
        }
        return AnyIterator(result.makeIterator())
    }

    /// One aggregate over a group; throws when the result is an error (the variable stays unbound).
    func aggregate(_ aggregate: Aggregate, over members: [Solution], graph: GraphSelector) throws -> Term {
        guard let expression = aggregate.expression else {
            // COUNT(*) and COUNT(DISTINCT *).
            let count = aggregate.distinct ? Set(members).count : members.count
            return .literal(Literal(String(count), datatype: XSD.integer))
        }
        var values: [Term] = []
        for member in members {
            if let value = try? evaluateExpression(expression, member, graph: graph) { values.append(value) }
        }
        if aggregate.distinct {
            var seen = Set<Term>()
            values = values.filter { seen.insert($0).inserted }
        }
        switch aggregate.function {
        case .count:
            return .literal(Literal(String(values.count), datatype: XSD.integer))
        case .sum:
            var total = Term.literal(Literal("0", datatype: XSD.integer))
            for value in values { total = try TermValues.arithmetic(.add, total, value) }
            return total
        case .avg:
            guard !values.isEmpty else { return .literal(Literal("0", datatype: XSD.integer)) }
            var total = Term.literal(Literal("0", datatype: XSD.integer))
            for value in values { total = try TermValues.arithmetic(.add, total, value) }
            return try TermValues.arithmetic(.divide, total, .literal(Literal(String(values.count), datatype: XSD.integer)))
        case .min, .max:
            guard var best = values.first else { throw ExpressionError(reason: "MIN/MAX of an empty group") }
            let wantLess = aggregate.function == .min
            for value in values.dropFirst() {
                let order = TermValues.orderCompare(value, best)
                if wantLess ? order < 0 : order > 0 { best = value }
            }
            return best
        case .sample:
            guard let first = values.first else { throw ExpressionError(reason: "SAMPLE of an empty group") }
            return first
        case .groupConcat(let separator):
            var parts: [String] = []
            for value in values {
                guard case .literal(let literal) = value else { throw ExpressionError(reason: "GROUP_CONCAT of a non-literal") }
                parts.append(literal.lexicalForm)
            }
            return .literal(Literal(parts.joined(separator: separator)))
        case .custom(let iri):
            throw ExpressionError(reason: "unknown aggregate \(iri)")
        }
    }

    func evaluateOrderBy(_ inner: GraphPattern, _ conditions: [OrderCondition], graph: GraphSelector, input: Solution?,
                         substitute: Bool) -> AnyIterator<Solution> {
        let solutions = Array(evaluate(inner, graph: graph, input: input, substitute: substitute))
        let keys = solutions.map { solution in conditions.map { try? evaluateExpression($0.expression, solution, graph: graph) } }
        let sorted = solutions.indices.sorted { a, b in
            for (index, condition) in conditions.enumerated() {
                var order = TermValues.orderCompare(keys[a][index], keys[b][index])
                if condition.descending { order = -order }
                if order != 0 { return order < 0 }
            }
            return a < b
        }
        return AnyIterator(sorted.lazy.map { solutions[$0] }.makeIterator())
    }
}
