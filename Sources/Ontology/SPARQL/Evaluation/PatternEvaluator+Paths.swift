/// Property paths (§18.4): pairs of nodes connected by a path, closures by breadth-first search.
extension PatternEvaluator {
    func evaluatePath(_ subject: TermPattern, _ path: PropertyPath, _ object: TermPattern, graph: GraphSelector,
                      input: Solution) -> AnyIterator<Solution> {
        let from = value(subject, input)
        let to = value(object, input)
        var pairs = self.pairs(path, from: from, to: to, graph: graph)
        // With variables at both ends, a zero-length path gives only nodes of the graph, even
        // when an earlier pattern bound the variables to other terms; with a constant end, that
        // constant is returned as is (§18.4, and the W3C tests on the empty dataset).
        if subject.variable != nil && object.variable != nil {
            var inGraph: [Term: Bool] = [:]
            pairs = pairs.filter { pair in
                guard pair.0 == pair.1 else { return true }
                if let known = inGraph[pair.0] { return known }
                let found = dataset.quads(subject: pair.0, predicate: nil, object: nil, in: graph).next() != nil
                    || dataset.quads(subject: nil, predicate: nil, object: pair.0, in: graph).next() != nil
                inGraph[pair.0] = found
                return found
            }
        }
        let subjectSlot = from == nil ? subject.variable.map { slots[$0] } : nil
        let objectSlot = to == nil ? object.variable.map { slots[$0] } : nil
        var index = 0
        return AnyIterator {
            pairLoop: while index < pairs.count {
                let (start, end) = pairs[index]
                index += 1
                var solution = input
                for (slot, term) in [(subjectSlot, start), (objectSlot, end)] {
                    guard let slot else { continue }
                    if let existing = solution[slot], existing != term { continue pairLoop }
                    solution[slot] = term
                }
                return solution
            }
            return nil
        }
    }

    /// The (start, end) pairs the path connects, restricted to the given ends where bound.
    /// Closures (`*`, `+`, `?`) give distinct pairs; the other forms count every way through.
    func pairs(_ path: PropertyPath, from: Term?, to: Term?, graph: GraphSelector) -> [(Term, Term)] {
        guard mayContinue() else { return [] }
        switch path {
        case .iri(let iri):
            return Array(dataset.quads(subject: from, predicate: .iri(iri), object: to, in: graph)).map { ($0.subject, $0.object) }
        case .inverse(let inner):
            return pairs(inner, from: to, to: from, graph: graph).map { ($0.1, $0.0) }
        case .negatedPropertySet(let excluded):
            let excludedSet = Set(excluded)
            return Array(dataset.quads(subject: from, predicate: nil, object: to, in: graph))
                .filter { !excludedSet.contains($0.predicate) }
                .map { ($0.subject, $0.object) }
        case .alternative(let a, let b):
            return pairs(a, from: from, to: to, graph: graph) + pairs(b, from: from, to: to, graph: graph)
        case .sequence(let a, let b):
            var result: [(Term, Term)] = []
            if from == nil, to != nil {
                for (middle, end) in pairs(b, from: nil, to: to, graph: graph) {
                    for (start, _) in pairs(a, from: nil, to: middle, graph: graph) { result.append((start, end)) }
                }
            } else {
                for (start, middle) in pairs(a, from: from, to: nil, graph: graph) {
                    for (_, end) in pairs(b, from: middle, to: to, graph: graph) { result.append((start, end)) }
                }
            }
            return result
        case .zeroOrOne(let inner):
            var result = zeroLength(from: from, to: to, graph: graph)
            var seen = Set(result.map { Pair($0.0, $0.1) })
            for pair in pairs(inner, from: from, to: to, graph: graph) where seen.insert(Pair(pair.0, pair.1)).inserted {
                result.append(pair)
            }
            return result
        case .zeroOrMore(let inner):
            return closure(inner, from: from, to: to, graph: graph, includeZero: true)
        case .oneOrMore(let inner):
            return closure(inner, from: from, to: to, graph: graph, includeZero: false)
        }
    }

    private struct Pair: Hashable {
        let start: Term
        let end: Term
        init(_ start: Term, _ end: Term) {
            self.start = start
            self.end = end
        }
    }

    /// The zero-length path: every node of the graph to itself, or the bound end(s).
    private func zeroLength(from: Term?, to: Term?, graph: GraphSelector) -> [(Term, Term)] {
        switch (from, to) {
        case (let start?, let end?): return start == end ? [(start, start)] : []
        case (let start?, nil): return [(start, start)]
        case (nil, let end?): return [(end, end)]
        case (nil, nil): return allNodes(graph: graph).map { ($0, $0) }
        }
    }

    private func closure(_ path: PropertyPath, from: Term?, to: Term?, graph: GraphSelector, includeZero: Bool) -> [(Term, Term)] {
        if let from {
            let reached = reachable(path, from: from, forward: true, graph: graph, includeZero: includeZero)
            if let to { return reached.contains(to) ? [(from, to)] : [] }
            return reached.map { (from, $0) }
        }
        if let to {
            return reachable(path, from: to, forward: false, graph: graph, includeZero: includeZero).map { ($0, to) }
        }
        var starts: [Term] = []
        if includeZero {
            starts = allNodes(graph: graph)
        } else {
            var seen = Set<Term>()
            for (start, _) in pairs(path, from: nil, to: nil, graph: graph) where seen.insert(start).inserted {
                starts.append(start)
            }
        }
        var result: [(Term, Term)] = []
        for start in starts {
            for end in reachable(path, from: start, forward: true, graph: graph, includeZero: includeZero) {
                result.append((start, end))
            }
        }
        return result
    }

    /// The nodes reached from `start` in one or more steps (and `start` itself with
    /// `includeZero`), each once, in breadth-first order.
    private func reachable(_ path: PropertyPath, from start: Term, forward: Bool, graph: GraphSelector,
                           includeZero: Bool) -> [Term] {
        var result: [Term] = includeZero ? [start] : []
        var seen: Set<Term> = includeZero ? [start] : []
        var frontier = [start]
        var expanded = Set<Term>()
        while !frontier.isEmpty, mayContinue() {
            var next: [Term] = []
            for node in frontier where expanded.insert(node).inserted {
                let steps = forward ? pairs(path, from: node, to: nil, graph: graph).map(\.1)
                                    : pairs(path, from: nil, to: node, graph: graph).map(\.0)
                for reached in steps {
                    if seen.insert(reached).inserted { result.append(reached) }
                    next.append(reached)
                }
            }
            frontier = next
        }
        return result
    }

    /// Every subject and object of the active graph.
    func allNodes(graph: GraphSelector) -> [Term] {
        var seen = Set<Term>()
        var nodes: [Term] = []
        let quads = dataset.quads(subject: nil, predicate: nil, object: nil, in: graph)
        while let quad = quads.next() {
            if seen.insert(quad.subject).inserted { nodes.append(quad.subject) }
            if seen.insert(quad.object).inserted { nodes.append(quad.object) }
        }
        return nodes
    }
}
