/// Basic graph patterns: triple patterns matched one after another, most selective first.
extension PatternEvaluator {
    func evaluateBGP(_ triples: [TriplePattern], graph: GraphSelector, input: Solution) -> AnyIterator<Solution> {
        var result = AnyIterator([input].makeIterator())
        // A nested-loop join evaluates the same pattern once per outer row: plan it once per
        // set of bound variables, from the query's constants alone, and reuse the order.
        let bound = input.values.indices.filter { input.values[$0] != nil }
        let key = PlanKey(triples: triples, bound: bound, graph: graph)
        let ordered: [TriplePattern]
        if let cached = plans[key] {
            ordered = cached
        } else {
            var constantsOnly = input
            for index in constantsOnly.values.indices { constantsOnly.values[index] = nil }
            ordered = plan(triples, input: constantsOnly, bound: Set(bound.map { slots.variables[$0] }), graph: graph)
            plans[key] = ordered
        }
        if ordered.count > 1, let joined = joinInDataset(ordered, input: input, graph: graph) {
            return joined
        }
        for triple in ordered {
            result = flatMap(result) { [self] solution in match(triple, solution, graph: graph) }
        }
        return result
    }

    /// The whole pattern joined by the dataset (``QueryableDataset/solutions(of:variables:in:)``),
    /// with the input's bindings put in as constants; nil when the dataset does not join.
    func joinInDataset(_ ordered: [TriplePattern], input: Solution, graph: GraphSelector) -> AnyIterator<Solution>? {
        var free: [Variable] = []
        var seen = Set<Variable>()
        let substituted = ordered.map { triple -> TriplePattern in
            let replace = { (position: TermPattern) -> TermPattern in
                guard let variable = position.variable else { return position }
                if let slot = self.slots.slot(of: variable), let value = input[slot] { return .term(value) }
                if seen.insert(variable).inserted { free.append(variable) }
                return position
            }
            return TriplePattern(replace(triple.subject), replace(triple.predicate), replace(triple.object))
        }
        guard let rows = dataset.solutions(of: substituted, variables: free, in: graph) else { return nil }
        let freeSlots = free.map { slots[$0] }
        var iterator = rows.makeIterator()
        return AnyIterator {
            guard let row = iterator.next() else { return nil }
            var solution = input
            for (slot, term) in zip(freeSlots, row) { solution[slot] = term }
            return solution
        }
    }

    /// Orders the patterns greedily: next comes the cheapest pattern connected to what is
    /// already bound, cheapness being the dataset's estimate for its constants, divided for
    /// each position a variable bound earlier will fix.
    func plan(_ triples: [TriplePattern], input: Solution, bound: Set<Variable>, graph: GraphSelector) -> [TriplePattern] {
        guard triples.count > 1 else { return triples }
        var bound = bound
        let estimates = triples.map { triple -> Int in
            let constant = { (position: TermPattern) -> Term? in
                if let term = position.term { return term }
                if let variable = position.variable, let slot = self.slots.slot(of: variable) { return input[slot] }
                return nil
            }
            return dataset.estimatedCount(subject: constant(triple.subject), predicate: constant(triple.predicate),
                                          object: constant(triple.object), in: graph)
        }
        var remaining = Array(triples.indices)
        var ordered: [TriplePattern] = []
        while !remaining.isEmpty {
            var best = 0
            var bestCost = Double.infinity
            var bestConnected = false
            for (position, index) in remaining.enumerated() {
                let triple = triples[index]
                let variables = [triple.subject, triple.predicate, triple.object].compactMap(\.variable)
                let boundCount = variables.filter { bound.contains($0) }.count
                let connected = boundCount > 0 || variables.isEmpty || bound.isEmpty
                let base = estimates[index] == Int.max ? 1e9 : Double(estimates[index])
                let cost = base / pow1000(boundCount)
                if (connected && !bestConnected) || (connected == bestConnected && cost < bestCost) {
                    best = position
                    bestCost = cost
                    bestConnected = connected
                }
            }
            let index = remaining.remove(at: best)
            ordered.append(triples[index])
            for position in [triples[index].subject, triples[index].predicate, triples[index].object] {
                if let variable = position.variable { bound.insert(variable) }
            }
        }
        return ordered
    }

    private func pow1000(_ count: Int) -> Double {
        var value = 1.0
        for _ in 0..<count { value *= 1000 }
        return value
    }

    /// The extensions of `solution` that match one triple pattern.
    func match(_ triple: TriplePattern, _ solution: Solution, graph: GraphSelector) -> AnyIterator<Solution> {
        let subject = value(triple.subject, solution)
        let predicate = value(triple.predicate, solution)
        let object = value(triple.object, solution)
        if let predicate, predicate.iri == nil { return AnyIterator { nil } }
        if let subject, case .literal = subject { return AnyIterator { nil } }
        let subjectSlot = subject == nil ? triple.subject.variable.map { slots[$0] } : nil
        let predicateSlot = predicate == nil ? triple.predicate.variable.map { slots[$0] } : nil
        let objectSlot = object == nil ? triple.object.variable.map { slots[$0] } : nil
        let quads = dataset.quads(subject: subject, predicate: predicate, object: object, in: graph)
        return AnyIterator {
            quadLoop: while let quad = quads.next() {
                var extended = solution
                // A variable used twice in the pattern must take the same value in both places.
                for (slot, term) in [(subjectSlot, quad.subject), (predicateSlot, Term.iri(quad.predicate)), (objectSlot, quad.object)] {
                    guard let slot else { continue }
                    if let existing = extended[slot], existing != term { continue quadLoop }
                    extended[slot] = term
                }
                return extended
            }
            return nil
        }
    }

    /// The value a pattern position has in a solution: its constant, or its variable's binding.
    func value(_ position: TermPattern, _ solution: Solution) -> Term? {
        switch position {
        case .term(let term): return term
        case .variable(let variable): return slots.slot(of: variable).flatMap { solution[$0] }
        }
    }
}
